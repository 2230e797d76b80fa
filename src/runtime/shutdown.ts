import type { Log } from "../github/logger.js";

/** One thing to close at shutdown, in order. */
export interface ShutdownStep {
  name: string;
  close: () => Promise<void>;
}

/**
 * Closes `steps` in order, each at most `timeoutMs`; a step that fails or hangs is logged and
 * the next one still runs, so connections are always released.
 *
 * @example await closeInOrder([{ name: "http server", close: () => server.close() }], logger);
 */
export async function closeInOrder(steps: ShutdownStep[], logger: Log, timeoutMs = 30_000): Promise<boolean> {
  let clean = true;
  for (const step of steps) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        step.close(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not close within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      clean = false;
      logger.warn({ step: step.name, err: String(error) }, "shutdown step failed");
    } finally {
      clearTimeout(timer);
    }
  }
  return clean;
}

/**
 * On SIGINT or SIGTERM, runs `shutdown` once and exits 0 (1 if shutdown threw). A second signal
 * while shutting down exits at once: the operator insists.
 *
 * @example onShutdownSignal(() => web.close(), logger);
 */
export function onShutdownSignal(shutdown: () => Promise<void>, logger: Log): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
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
