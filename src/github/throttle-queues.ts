import { waitUnlessAborted } from "./abortable-wait.js";

/**
 * Stand-ins for the Bottleneck limiters of @octokit/plugin-throttling. Every Bottleneck operation
 * (submit, register, run, free) first waits a `setTimeout(0)`, so each limiter a request passes
 * costs it about 4 ms of idle waiting, whatever the load; a GraphQL request passed three
 * (retries, `write`, `global`): a 20 ms page took about 45 ms, and the 1,236 identity pages of a
 * 300,000-user enterprise, read one after another, spent half a minute waiting on timers. The
 * plugin takes its limiters from the `throttle` options (`retryLimiter`, `write`, `global`), so
 * these replace them without touching its rate-limit logic.
 */

/** What the throttling plugin hands the retry limiter's `failed` listeners. */
interface FailedInfo {
  args: unknown[];
  retryCount: number;
}
type FailedListener = (error: unknown, info: FailedInfo) => unknown;
type Task = (...args: never[]) => unknown;

/** The caller's signal, from the request options the plugin passes last (`state, request, options`). */
function signalOf(args: unknown[]): AbortSignal | undefined {
  const options = args.at(-1) as { request?: { signal?: AbortSignal } } | undefined;
  return options?.request?.signal;
}

/**
 * Runs a request and, when it fails, asks the `failed` listeners (the plugin's rate-limit
 * handler) whether to try again: a number is the wait in ms before the next attempt, as in
 * Bottleneck (`~~` of the first answer that is not null), anything else (or a listener that
 * throws) rejects with the request's error.
 * Unlike a Bottleneck limiter it bounds nothing and waits only when told to; a request whose
 * `request.signal` has aborted is not tried again, and a wait under way ends when it aborts.
 *
 * @example new Octokit({ throttle: { ...handlers, retryLimiter: new RetryLoop() } })
 */
export class RetryLoop {
  readonly #listeners: FailedListener[] = [];

  /** Bottleneck's `on("failed", listener)`; other events are never emitted. */
  on(event: string, listener: FailedListener): void {
    if (event === "failed") this.#listeners.push(listener);
  }

  async schedule(task: Task, ...args: unknown[]): Promise<unknown> {
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await (task as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        // A listener that throws counts as no answer, as in Bottleneck: the plugin's reads
        // `error.response.headers`, which a network failure or a passed deadline does not have.
        const answers = await Promise.all(
          this.#listeners.map(async (listener) => {
            try {
              return await listener(error, { args, retryCount });
            } catch {
              return undefined;
            }
          }),
        );
        const wait = answers.find((answer) => answer !== null && answer !== undefined);
        const signal = signalOf(args);
        if (wait === undefined || signal?.aborted) throw error;
        await waitUnlessAborted(~~(wait as number), signal);
        // A caller that gave up during the wait gets the rate limit it met, not a new attempt.
        if (signal?.aborted) throw error;
      }
    }
  }
}

/** A Bottleneck group that runs each task at once: `key(id).schedule(options, task, ...args)`. */
const PASS_THROUGH = {
  key: () => ({
    schedule: (_options: unknown, task: Task, ...args: unknown[]) =>
      Promise.resolve().then(() => (task as (...a: unknown[]) => unknown)(...args)),
  }),
};

/**
 * The limiters to give the throttling plugin in its `throttle` options (its types do not list
 * them, it reads them all): a {@link RetryLoop} for every client and, for a read-only client,
 * pass-through `global` and `write` groups. `global` bounds requests in flight per host, which
 * the client's own concurrency bound does (`concurrencyPlugin`). `write` spaces writes and
 * GraphQL calls `minTime` apart, and a read-only client has no writes and wants no spacing: with
 * `minTime: 0` the group held its one slot for a no-op, not for the request, so it never made
 * calls one at a time; it only delayed each by its timers.
 *
 * @example new Octokit({ throttle: { id, ...handlers, ...throttleQueues(true) } })
 */
export function throttleQueues(readOnly: boolean): object {
  return { retryLimiter: new RetryLoop(), ...(readOnly ? { global: PASS_THROUGH, write: PASS_THROUGH } : {}) };
}
