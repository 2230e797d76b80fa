import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import {
  DEFAULT_RATE_LIMIT_POLICY,
  isRateLimited,
  rateLimitHandlers,
  type RateLimitPolicy,
  type RequestMeter,
} from "../../github/index.js";
import { type Clock, InputError, type Log, systemClock } from "../../shared/index.js";
import { siteAdminRequired } from "./access.js";

/** Where GHES serves the site-admin user report (GitHub's API docs). */
export const ALL_USERS_REPORT_PATH = "/stafftools/reports/all_users.csv";

/** The deployment config key that bounds the wait for a report GHES is still building. */
export const REPORT_DEADLINE_KEY = "collect.reportDeadlineSeconds";

/** The report was still being prepared when the deadline passed. Not the operator's fault: retry later. */
export class ReportDeadlineError extends Error {
  constructor(
    readonly hostname: string,
    readonly waitedMs: number,
  ) {
    super(
      `GHES ${hostname}: the site-admin report was still being prepared (202 Accepted) after ` +
        `${Math.round(waitedMs / 1000)} s. GHES builds it in the background: run the collection again in a few minutes, ` +
        `or give large instances more time with ${REPORT_DEADLINE_KEY} in the deployment config.`,
    );
    this.name = "ReportDeadlineError";
  }
}

/** GHES kept answering the report with a rate limit longer than the policy waits. Transient: the job retries later. */
export class ReportRateLimitError extends Error {
  constructor(
    readonly hostname: string,
    readonly status: number,
    retryAfterSeconds: number,
  ) {
    super(
      `GHES ${hostname}: the site-admin report stayed rate limited (${status}, next try allowed in ${retryAfterSeconds} s); the collection is tried again later.`,
    );
    this.name = "ReportRateLimitError";
  }
}

export interface ReportRequest {
  /** The instance's web URL, normalized (no trailing slash). */
  url: string;
  hostname: string;
  /** Site administrator's login and PAT, for HTTP basic auth. */
  login: string;
  token: string;
  fetch: typeof fetch;
  /** First wait after a 202, doubled after each poll up to `maxPollIntervalMs`. */
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  /** How long to keep polling, from the first request (collect.reportDeadlineSeconds). */
  deadlineMs: number;
  /** How often and how long rate limits are waited out (the API clients' policy). */
  rateLimit?: RateLimitPolicy;
  meter: RequestMeter;
  logger: Log;
  /** The clock polls and rate-limit waits run on (default: the system's). */
  clock?: Clock;
}

/** Seconds until a rate-limited answer may be retried: `retry-after`, else until `x-ratelimit-reset`. */
function retryAfterSeconds(headers: Headers, now: number): number {
  const after = Number(headers.get("retry-after"));
  if (Number.isFinite(after) && after >= 0 && headers.has("retry-after")) return after;
  const reset = Number(headers.get("x-ratelimit-reset"));
  return Number.isFinite(reset) && reset > 0 ? Math.max(Math.ceil(reset - now / 1000) + 1, 0) : 1;
}

/** A 200 that is GHES's sign-in page rather than the CSV: basic auth was not accepted. */
function isSignInPage(response: Response): boolean {
  const type = response.headers.get("content-type") ?? "";
  const path = response.url ? new URL(response.url).pathname : "";
  return type.includes("text/html") || path.startsWith("/login") || path.startsWith("/sessions");
}

/**
 * Opens `all_users.csv` as a stream. GHES answers `202 Accepted` while it builds the report, so
 * this polls with doubling waits until `200` or the deadline; 5xx answers are waited out the same
 * way, and rate limits (403/429 with `retry-after` or `x-ratelimit-remaining: 0`) as the API
 * clients wait them out. Only a 401 or a 403 that is no rate limit means the token is refused.
 * The body is handed over unread: the caller parses it row by row, never holding the file.
 * Give a `fetch` with deadlines (`deadlineFetch`): nothing here bounds a single request.
 *
 * @example
 *   const csv = await openAllUsersReport({ url, hostname, login, token, fetch, pollIntervalMs: 2000, maxPollIntervalMs: 30000, deadlineMs: 600000, meter, logger });
 */
export async function openAllUsersReport(request: ReportRequest): Promise<Readable> {
  const { url, hostname, login, token, meter, logger } = request;
  const reportUrl = `${url}${ALL_USERS_REPORT_PATH}`;
  const headers = { authorization: `Basic ${Buffer.from(`${login}:${token}`).toString("base64")}`, accept: "text/csv" };
  const clock = request.clock ?? systemClock;
  const started = clock.now();
  const limits = rateLimitHandlers(logger, request.rateLimit ?? DEFAULT_RATE_LIMIT_POLICY);
  let limited = 0;
  let wait = request.pollIntervalMs;
  for (let poll = 1; ; poll += 1) {
    meter.add();
    const pollStarted = performance.now();
    const response = await request.fetch(reportUrl, { headers, redirect: "follow" }).catch((error: unknown) => {
      if (error instanceof Error && error.name === "DeadlineError") throw error;
      throw new Error(
        `GHES ${hostname}: could not download the site-admin report (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    });
    const { status } = response;
    // Redirects are followed for GHES's own sign-in page; an answer from another host (or
    // scheme) is not this instance's report, whatever it holds.
    const landed = response.url ? new URL(response.url) : null;
    if (landed && landed.origin !== new URL(reportUrl).origin) {
      await response.body?.cancel();
      throw new Error(
        `GHES ${hostname}: the site-admin report was redirected to another host (${landed.host}); its answer is not this instance's. Check servers[].url in the deployment config and any proxy in front of the instance.`,
      );
    }
    logger.debug(
      {
        hostname,
        method: "GET",
        route: ALL_USERS_REPORT_PATH,
        status,
        poll,
        durationMs: Math.round(performance.now() - pollStarted),
      },
      "ghes report request",
    );
    if (status === 200 && !isSignInPage(response)) {
      if (!response.body) throw new Error(`GHES ${hostname}: the site-admin report answered 200 without a body`);
      return Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
    }
    await response.body?.cancel();
    if (status === 200)
      throw siteAdminRequired(
        hostname,
        `GET ${ALL_USERS_REPORT_PATH}`,
        "GHES answered with its sign-in page instead of the report",
      );
    if (isRateLimited({ status, response: { headers: Object.fromEntries(response.headers) } })) {
      const seconds = retryAfterSeconds(response.headers, clock.now());
      const kind =
        response.headers.get("x-ratelimit-remaining") === "0" ? limits.onRateLimit : limits.onSecondaryRateLimit;
      if (!kind(seconds, { method: "GET", url: ALL_USERS_REPORT_PATH }, undefined, limited))
        throw new ReportRateLimitError(hostname, status, seconds);
      limited += 1;
      await clock.sleep(seconds * 1000);
      continue;
    }
    if (status === 401 || status === 403)
      throw siteAdminRequired(hostname, `GET ${ALL_USERS_REPORT_PATH}`, `GHES answered ${status}`);
    if (status === 404) {
      throw new InputError(
        `GHES ${hostname}`,
        `GET ${ALL_USERS_REPORT_PATH}`,
        "GHES has no site-admin report at this address (404)",
        "Set servers[].url to the instance's web address (https://HOST, without /api/v3).",
      );
    }
    if (status !== 202 && status < 500)
      throw new Error(`GHES ${hostname}: unexpected ${status} from the site-admin report`);
    const waited = clock.now() - started;
    if (waited >= request.deadlineMs) throw new ReportDeadlineError(hostname, waited);
    if (status >= 500) logger.warn({ hostname, status, poll }, "GHES report request failed; polling again");
    else logger.debug({ hostname, poll, nextPollMs: wait }, "GHES is preparing all_users.csv");
    // The last wait ends at the deadline exactly, so one final poll happens before giving up.
    await clock.sleep(Math.min(wait, request.deadlineMs - waited));
    wait = Math.min(wait * 2, request.maxPollIntervalMs);
  }
}
