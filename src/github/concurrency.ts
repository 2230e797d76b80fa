import type { Octokit } from "@octokit/core";

/** Runs async tasks with at most `max` of them in flight; the rest wait their turn in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A counting semaphore as a function.
 *
 * @example
 *   const limit = createLimiter(8);
 *   const pages = await Promise.all(numbers.map((page) => limit(() => fetchPage(page))));
 */
export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so no newcomer can slip in between.
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

/**
 * Maps over items with at most `max` calls in flight, keeping the input order in the result.
 * After the first failure, calls not yet started are skipped; the failure is thrown once the
 * calls under way have finished, so nothing keeps running after this returns.
 *
 * @example const bodies = await mapConcurrent([2, 3, 4], 2, (page) => fetchPage(page));
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  max: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = createLimiter(max);
  let failure: { error: unknown } | undefined;
  const results = await Promise.allSettled(
    items.map((item, index) =>
      limit(async () => {
        if (failure) throw failure.error;
        try {
          return await map(item, index);
        } catch (error) {
          failure ??= { error };
          throw error;
        }
      }),
    ),
  );
  if (failure) throw failure.error;
  return results.map((result) => (result as PromiseFulfilledResult<R>).value);
}

/**
 * An Octokit plugin bounding the HTTP attempts one client has in flight. It sits inside the
 * retry and throttling plugins, so a request waiting out a `retry-after` does not hold a slot.
 *
 * @example const MyOctokit = Octokit.plugin(concurrencyPlugin(8), throttling);
 */
export function concurrencyPlugin(max: number) {
  const limit = createLimiter(max);
  return function boundConcurrency(octokit: Octokit): void {
    octokit.hook.wrap("request", (request, options) => limit(async () => request(options)));
  };
}
