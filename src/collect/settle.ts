/**
 * Like `Promise.all`, but waits for every task to finish before failing, then throws the first
 * failure in argument order. A collector thus never returns (or throws) while some of its
 * requests are still running in the background, and the most important failure (listed first)
 * is the one reported.
 *
 * @example const [accounts, license] = await settleAll([readAccounts(), readLicense()] as const);
 */
export async function settleAll<T extends readonly unknown[]>(tasks: {
  readonly [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
