/**
 * Resolves after `ms`, or at once when `signal` aborts: a wait before a retry that the caller can
 * end. The caller then fails with the error it had, never with a new attempt.
 *
 * @example
 *   await waitUnlessAborted(4000, options.request.signal);
 *   if (options.request.signal?.aborted) throw error;
 */
export function waitUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}
