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
 * An Octokit plugin bounding the HTTP attempts one client has in flight. It sits inside the
 * retry and throttling plugins, so a request waiting out a `retry-after` does not hold a slot.
 *
 * @example const MyOctokit = Octokit.plugin(concurrencyPlugin(8), throttling);
 */
export function concurrencyPlugin(concurrency: number) {
  const limit = pLimit(concurrency);
  return function boundConcurrency(octokit: Octokit): void {
    octokit.hook.wrap("request", (request, options) => limit(async () => request(options)));
  };
}
