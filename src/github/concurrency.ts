import type { Octokit } from "@octokit/core";
import pLimit from "p-limit";

/** Thrown in place of a task that never started because an earlier one had failed. */
const skipped = Symbol("skipped");

/**
 * Runs tasks with at most `concurrency` of them in flight (p-limit queues the rest in order) and
 * settles them all before answering: a collector thus never returns, or throws, while some of its
 * requests are still running in the background. After the first failure, tasks not yet started
 * are skipped; the failure thrown is the first in argument order, so the most important one
 * (listed first) is the one reported. Results keep the argument order whatever the finishing order.
 *
 * @example
 *   const [accounts, license] = await settleAll([() => readAccounts(), () => readLicense()] as const);
 *   const bodies = await settleAll([2, 3, 4].map((page) => () => fetchPage(page)), 2);
 */
export async function settleAll<T extends readonly unknown[]>(
  tasks: { readonly [K in keyof T]: () => Promise<T[K]> },
  concurrency = Number.POSITIVE_INFINITY,
): Promise<T> {
  const limit = pLimit(concurrency);
  let failed = false;
  const results = await Promise.allSettled(
    tasks.map((task) =>
      limit(async () => {
        if (failed) throw skipped;
        try {
          return await task();
        } catch (error) {
          failed = true;
          throw error;
        }
      }),
    ),
  );
  const failure = results.find(
    (result): result is PromiseRejectedResult => result.status === "rejected" && result.reason !== skipped,
  );
  if (failure) throw failure.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * `queued`, or a rejection with the signal's reason as soon as the signal aborts while the
 * attempt has not `started`: one that is running settles by itself, its fetch cut off by the
 * same signal. The listener goes when `queued` settles (one signal may serve many requests).
 */
function unlessCutOffWhileQueued<T>(queued: Promise<T>, signal: AbortSignal, started: () => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cutOff = () => {
      if (!started()) reject(signal.reason as Error);
    };
    signal.addEventListener("abort", cutOff, { once: true });
    if (signal.aborted) cutOff();
    queued.then(resolve, reject).finally(() => signal.removeEventListener("abort", cutOff));
  });
}

/**
 * An Octokit plugin bounding the HTTP attempts one client has in flight. It sits inside the
 * retry and throttling plugins, so a request waiting out a `retry-after` does not hold a slot.
 * An attempt whose `request.signal` aborts while it waits for a slot fails at once, and gives
 * the slot back unused when its turn comes.
 *
 * @example const MyOctokit = Octokit.plugin(concurrencyPlugin(8), throttling);
 */
export function concurrencyPlugin(concurrency: number) {
  const limit = pLimit(concurrency);
  return function boundConcurrency(octokit: Octokit): void {
    octokit.hook.wrap("request", (request, options) => {
      const signal = (options.request as { signal?: AbortSignal } | undefined)?.signal;
      let started = false;
      const queued = limit(async () => {
        started = true;
        if (signal?.aborted) throw signal.reason as Error;
        return request(options);
      });
      return signal ? unlessCutOffWhileQueued(queued, signal, () => started) : queued;
    });
  };
}
