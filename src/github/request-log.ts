import type { Octokit } from "@octokit/core";
import type { Log } from "../shared/index.js";
import { hostOf } from "./base-url.js";
import { meterOf } from "./request-meter.js";

/** What a failed attempt carries, as far as logging needs it (RequestError, fetch errors). */
interface FailedAttempt {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * An Octokit plugin that logs every HTTP attempt at debug level: method, route template (never
 * the expanded URL with its query), status, duration and GitHub's `x-github-request-id`, which
 * GitHub Support asks for. Registered before the throttling and retry plugins, so it sits inside
 * them and sees each retry as its own attempt. It reads nothing from headers it sends: the token
 * is added further inside, by the auth hook, and is never in reach here. It also counts attempts
 * on the request's `RequestMeter`.
 *
 * @example const MyOctokit = Octokit.plugin(requestLogPlugin(logger), throttling, retry);
 */
export function requestLogPlugin(log: Log) {
  return function requestLog(octokit: Octokit): void {
    octokit.hook.wrap("request", async (request, options) => {
      const requestOptions = options.request as Record<string, unknown> | undefined;
      meterOf(requestOptions)?.add();
      const fields = {
        method: options.method,
        host: hostOf(options.baseUrl),
        route: options.url,
        attempt: Number(requestOptions?.retryCount ?? 0) + 1,
      };
      const started = performance.now();
      try {
        const response = await request(options);
        log.debug(
          {
            ...fields,
            status: response.status,
            durationMs: Math.round(performance.now() - started),
            requestId: response.headers["x-github-request-id"],
          },
          "github request",
        );
        return response;
      } catch (error) {
        const failed = error as FailedAttempt;
        const status = typeof failed.status === "number" ? failed.status : undefined;
        const entry = {
          ...fields,
          status,
          durationMs: Math.round(performance.now() - started),
          requestId: failed.response?.headers?.["x-github-request-id"],
        };
        // A request its caller cut off (Octokit reports that as a 500) is no failure of GitHub's.
        if ((requestOptions?.signal as AbortSignal | undefined)?.aborted)
          log.debug({ ...entry, status: undefined, aborted: true }, "github request cut off by its caller");
        // A 5xx or a network failure is GitHub's side: worth a warning, the retry plugin may try again.
        else if (status === undefined || status >= 500) log.warn(entry, "github request failed");
        else log.debug(entry, "github request");
        throw error;
      }
    });
  };
}
