import type { Log } from "../shared/index.js";

/** How far the client goes to wait out GitHub's rate limits. */
export interface RateLimitPolicy {
  /** Retries of one request after a primary or secondary limit (default 3). */
  retries: number;
  /** Longest wait accepted, in seconds (default 300): a primary limit resetting in an hour fails the run now; the job is retried later. */
  maxWaitSeconds: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = { retries: 3, maxWaitSeconds: 300 };

/** The part of a request the throttling plugin hands to its handlers. */
interface LimitedRequest {
  method: string;
  url: string;
}

type LimitHandler = (
  retryAfterSeconds: number,
  options: LimitedRequest,
  octokit: unknown,
  retryCount: number,
) => boolean;

/**
 * The handlers @octokit/plugin-throttling calls when GitHub answers with a primary limit
 * (`x-ratelimit-remaining: 0`) or a secondary limit (403/429 with `retry-after`). The plugin
 * waits `retry-after` seconds (or until `x-ratelimit-reset`) when a handler returns true; these
 * return true a bounded number of times and log each decision.
 *
 * @example new Octokit({ throttle: { ...rateLimitHandlers(logger, DEFAULT_RATE_LIMIT_POLICY), id: host } })
 */
export function rateLimitHandlers(
  log: Log,
  policy: RateLimitPolicy,
): { onRateLimit: LimitHandler; onSecondaryRateLimit: LimitHandler } {
  const handler =
    (kind: "primary" | "secondary"): LimitHandler =>
    (retryAfterSeconds, options, _octokit, retryCount) => {
      const fields = { method: options.method, route: options.url, limit: kind, retryAfterSeconds, retryCount };
      if (retryCount >= policy.retries) {
        log.warn(fields, `GitHub ${kind} rate limit: giving up after ${retryCount} retries`);
        return false;
      }
      if (retryAfterSeconds > policy.maxWaitSeconds) {
        log.warn(
          fields,
          `GitHub ${kind} rate limit: reset is ${retryAfterSeconds}s away, more than the ${policy.maxWaitSeconds}s we wait`,
        );
        return false;
      }
      log.warn(fields, `GitHub ${kind} rate limit: retrying in ${retryAfterSeconds}s`);
      return true;
    };
  return { onRateLimit: handler("primary"), onSecondaryRateLimit: handler("secondary") };
}

/** The part of an Octokit RequestError this module reads. */
interface LimitedAnswer {
  status?: number;
  message: string;
  response?: { headers?: Record<string, string | undefined> };
}

/**
 * True when a 403/429 is a rate limit (`retry-after`, or `x-ratelimit-remaining: 0`), not a
 * refusal: such an answer says nothing about the token's permissions.
 *
 * @example if (status === 403 && !isRateLimited(error)) throw siteAdminRequired(...);
 */
export function isRateLimited(error: unknown): boolean {
  const { status, response } = (error ?? {}) as LimitedAnswer;
  if (status !== 403 && status !== 429) return false;
  const headers = response?.headers ?? {};
  return headers["retry-after"] !== undefined || headers["x-ratelimit-remaining"] === "0";
}

/**
 * An Octokit plugin, registered inside the throttling plugin, that makes every rate limit
 * visible to it. The throttling plugin recognizes a secondary limit by GitHub's wording and a
 * primary one by `x-ratelimit-reset`; a GHES behind a proxy, or a 429, may send only
 * `retry-after`. Such answers are marked as secondary limits (waited out for `retry-after`
 * seconds) instead of failing at once, and as permission errors further up.
 *
 * @example const MyOctokit = Octokit.plugin(rateLimitSignalsPlugin, throttling);
 */
export function rateLimitSignalsPlugin(octokit: {
  hook: { error: (name: "request", hook: (error: Error) => unknown) => void };
}): void {
  octokit.hook.error("request", (error: Error) => {
    const answer = error as LimitedAnswer & Error;
    if (
      isRateLimited(answer) &&
      answer.response?.headers?.["retry-after"] !== undefined &&
      !/\bsecondary rate\b/i.test(answer.message)
    ) {
      answer.message = `secondary rate limit (retry-after ${answer.response.headers["retry-after"]} s): ${answer.message}`;
    }
    throw error;
  });
}
