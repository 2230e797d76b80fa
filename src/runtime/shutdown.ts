import type { Log } from "../shared/index.js";

/** One thing to close at shutdown, in order. */
export interface ShutdownStep {
  name: string;
  close: () => Promise<void>;
}

/** Resolves `"timeout"` after `ms` (at least 0), with a cancel to call once the race is over. */
function timeout(ms: number): { expired: Promise<"timeout">; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, ms))));
  return { expired, cancel: () => clearTimeout(timer) };
}

/**
 * Resolves with `work`'s result, or `"timeout"` once `ms` have passed, whichever comes first.
 * `work` keeps running; a rejection of `work` is passed on.
 *
 * @example if ((await within(worker.close(), 5000)) === "timeout") worker.cancelAllJobs();
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  const limit = timeout(ms);
  try {
    return await Promise.race([work, limit.expired]);
  } finally {
    limit.cancel();
  }
}

/**
 * Closes `steps` in order, each at most `timeoutMs` and all of them before `deadline` (epoch ms,
 * optional); a step that fails or hangs is logged and the next one still runs, so connections
 * are always released. Resolves false when any step failed or timed out.
 *
 * @example await closeInOrder([{ name: "http server", close: () => server.close() }], logger, 10_000, Date.now() + 25_000);
 */
export async function closeInOrder(
  steps: ShutdownStep[],
  logger: Log,
  timeoutMs = 30_000,
  deadline = Infinity,
): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    const limitMs = Math.min(timeoutMs, deadline - Date.now());
    try {
      if ((await within(step.close(), limitMs)) === "timeout")
        throw new Error(`did not close within ${Math.max(0, Math.round(limitMs))} ms`);
    } catch (error) {
      clean = false;
      logger.warn({ step: step.name, err: String(error) }, "shutdown step failed");
    }
  }
  return clean;
}

/**
 * On SIGINT or SIGTERM, runs `shutdown` once and exits 0 (1 if shutdown threw). The process
 * exits within `graceMs` of the signal whatever happens (Redis gone, a job that ignores its
 * cancellation): at the deadline it logs what it was waiting for and exits 1, before an
 * orchestrator's SIGKILL (Kubernetes waits 30 s by default). A second signal exits at once.
 *
 * @example onShutdownSignal(() => web.close(), logger, settings.shutdownGraceMs);
 */
export function onShutdownSignal(shutdown: () => Promise<void>, logger: Log, graceMs = 25_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceMs }, "shutting down");
    setTimeout(() => {
      logger.error(
        { graceMs },
        "shutdown did not finish within the grace period (LICENSE_SYNC_SHUTDOWN_GRACE_SECONDS); exiting anyway",
      );
      process.exit(1);
    }, graceMs).unref();
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}
