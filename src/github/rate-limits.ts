import type { Log } from "./logger.js";

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

type LimitHandler = (retryAfterSeconds: number, options: LimitedRequest, octokit: unknown, retryCount: number) => boolean;

/**
 * The handlers @octokit/plugin-throttling calls when GitHub answers with a primary limit
 * (`x-ratelimit-remaining: 0`) or a secondary limit (403/429 with `retry-after`). The plugin
 * waits `retry-after` seconds (or until `x-ratelimit-reset`) when a handler returns true; these
 * return true a bounded number of times and log each decision.
 *
 * @example new Octokit({ throttle: { ...rateLimitHandlers(logger, DEFAULT_RATE_LIMIT_POLICY), id: host } })
 */
export function rateLimitHandlers(log: Log, policy: RateLimitPolicy): { onRateLimit: LimitHandler; onSecondaryRateLimit: LimitHandler } {
  const handler =
    (kind: "primary" | "secondary"): LimitHandler =>
    (retryAfterSeconds, options, _octokit, retryCount) => {
      const fields = { method: options.method, route: options.url, limit: kind, retryAfterSeconds, retryCount };
      if (retryCount >= policy.retries) {
        log.warn(fields, `GitHub ${kind} rate limit: giving up after ${retryCount} retries`);
        return false;
      }
      if (retryAfterSeconds > policy.maxWaitSeconds) {
        log.warn(fields, `GitHub ${kind} rate limit: reset is ${retryAfterSeconds}s away, more than the ${policy.maxWaitSeconds}s we wait`);
        return false;
      }
      log.warn(fields, `GitHub ${kind} rate limit: retrying in ${retryAfterSeconds}s`);
      return true;
    };
  return { onRateLimit: handler("primary"), onSecondaryRateLimit: handler("secondary") };
}
