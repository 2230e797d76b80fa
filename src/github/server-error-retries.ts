import type { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import { waitUnlessAborted } from "./abortable-wait.js";

/** When and how often {@link serverErrorRetries} tries a request again. */
export interface ServerErrorRetryPolicy {
  /** Retries after the first attempt (a request's own `request.retries` wins). */
  retries: number;
  /** Base of the (n + 1)² back-off, in ms. */
  baseDelayMs: number;
  /** HTTP statuses never retried (answers that will not change, and what throttling owns). */
  doNotRetry: readonly number[];
}

/** GraphQL answers 200 with this error when GitHub's side failed; the retry plugin treats it as a 500. */
const GRAPHQL_SERVER_ERROR = /Something went wrong while executing your query/;

interface RetryRequestOptions {
  retries?: number;
  retryCount?: number;
  /** The caller's signal: once aborted, nothing is retried and a back-off under way ends. */
  signal?: AbortSignal;
}

/** A 500 in place of a 200 whose GraphQL body says GitHub's side failed; other answers unchanged. */
function graphqlServerError(response: { data?: unknown }, options: unknown): RequestError | null {
  const errors = (response.data as { errors?: Array<{ message?: unknown }> } | null | undefined)?.errors;
  const message = Array.isArray(errors) && errors.length > 0 ? errors[0]?.message : undefined;
  if (typeof message !== "string" || !GRAPHQL_SERVER_ERROR.test(message)) return null;
  return new RequestError(message, 500, {
    request: options as ConstructorParameters<typeof RequestError>[2]["request"],
    response: response as ConstructorParameters<typeof RequestError>[2]["response"],
  });
}

/** True for what a retry may change: an Octokit request error with a status >= 400 not in `doNotRetry`. */
function isRetryable(error: unknown, policy: ServerErrorRetryPolicy): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { request, status } = error as { request?: unknown; status?: unknown };
  return request !== undefined && typeof status === "number" && status >= 400 && !policy.doNotRetry.includes(status);
}

/**
 * Retries of GitHub's transient failures (5xx answers, network failures, GraphQL's "Something went
 * wrong while executing your query"), with the policy of @octokit/plugin-retry 8: `retries`
 * attempts more at most (per request `request.retries` wins), waits of (n + 1)² x `baseDelayMs`
 * (1 s, 4 s, 9 s by default), statuses in `doNotRetry` never retried, `request.retryCount` set on
 * each new attempt (the request log reads it). A request whose `request.signal` has aborted is not
 * retried, and a back-off under way ends when it aborts.
 *
 * Why not the plugin itself: it schedules every request through a new Bottleneck limiter, whose
 * submit and run each wait a `setTimeout(0)`. Measured on the reference machine: 7 ms of idle wait
 * and about 1 ms of CPU per request. At a 300,000-user enterprise that is 4,200 requests, 1,236 of
 * them GraphQL identity pages read one cursor after another (9 s of waiting on timers alone), and
 * the CPU is taken from the consumed-licenses pages (issue 12, goals 3 and 4). A loop does the same.
 *
 * @example const MyOctokit = Octokit.plugin(throttling, serverErrorRetries({ retries: 3, baseDelayMs: 1000, doNotRetry: [404] }));
 */
export function serverErrorRetries(policy: ServerErrorRetryPolicy) {
  return function retryServerErrors(octokit: Octokit): void {
    octokit.hook.wrap("request", async (request, options) => {
      // Read afresh on every attempt: a hook further in (graphql-json) may replace `options.request`
      // with a copy, and what is set on the old object would never reach the next attempt.
      const own = () => (options.request ?? (options.request = {})) as RetryRequestOptions;
      const retries = own().retries ?? policy.retries;
      for (let attempt = 0; ; attempt++) {
        try {
          const response = await request(options);
          const failure = graphqlServerError(response, options);
          if (failure) throw failure;
          return response;
        } catch (error) {
          const { signal } = own();
          if (attempt >= retries || !isRetryable(error, policy) || signal?.aborted) throw error;
          const waitMs = (attempt + 1) ** 2 * policy.baseDelayMs;
          own().retryCount = attempt + 1;
          await waitUnlessAborted(waitMs, signal);
          // A caller that gave up during the wait gets the failure it would have had, not a new attempt.
          if (signal?.aborted) throw error;
        }
      }
    });
  };
}
