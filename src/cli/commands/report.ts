import { Worker } from "node:worker_threads";
import { InputError } from "../../shared/index.js";

/**
 * The default heap budget, in MiB. It bounds V8's old generation, not the process: the young
 * generation, compiled code and the CLI's own thread come on top (50 to 80 MiB), and a report
 * near its budget holds its heap at the budget. So 896, for a process within 1 GiB: the large
 * enterprise of docs/benchmarks.md (about 700 MiB live) peaked at 944 MiB RSS with it and at
 * 1,043 MiB with a budget of 1024.
 */
export const DEFAULT_REPORT_HEAP_MB = 896;

/** Heap budget of one report, in MiB (`LICENSE_SYNC_REPORT_HEAP_MB`; 0 = as much as V8 allows). */
export function reportHeapBudget(env = process.env): number {
  const value = env.LICENSE_SYNC_REPORT_HEAP_MB;
  if (value === undefined || value === "") return DEFAULT_REPORT_HEAP_MB;
  const budget = Number(value);
  if (!Number.isInteger(budget) || budget < 0) {
    throw new InputError(
      "environment",
      "LICENSE_SYNC_REPORT_HEAP_MB",
      `expected a whole number of MiB, got ${JSON.stringify(value)}`,
      "Set it to e.g. 2048, or 0 for no budget.",
    );
  }
  return budget;
}

class OutOfBudget extends Error {}

function runInWorker(args: string[], heapMb: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./report-worker.js", import.meta.url), {
      workerData: args,
      ...(heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
    });
    let code: number | undefined;
    worker.on("message", (message: { code: number; message?: string }) => {
      code = message.code;
      if (message.message) reject(new InputErrorFromWorker(message.message));
    });
    worker.on("error", (error: Error & { code?: string }) =>
      reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new OutOfBudget() : error),
    );
    worker.on("exit", (exitCode) => resolve(code ?? (exitCode === 0 ? 0 : 1)));
  });
}

/** Carries a worker's bad-input message so the runner prints it and exits 2. */
class InputErrorFromWorker extends InputError {
  constructor(message: string) {
    super("", "", "", "");
    this.message = message.replace(/^, /, "");
  }
}

/**
 * `license-sync report`, run in a worker thread with a heap budget. A bounded heap makes V8
 * collect garbage before it piles up (a million accounts fit in about 0.9 GiB of RSS instead of
 * 1.7 GiB); an enterprise too big for the budget is not an error: the report runs again with four
 * times the budget, so the budget trades memory for nothing but a retry.
 */
export async function reportCommand(args: string[]): Promise<number> {
  let budget = reportHeapBudget();
  for (;;) {
    try {
      return await runInWorker(args, budget);
    } catch (error) {
      if (!(error instanceof OutOfBudget) || budget === 0) throw error;
      const next = budget >= 16384 ? 0 : budget * 4;
      process.stderr.write(
        `license-sync report: needed more than ${budget} MiB of heap; running again with ${next === 0 ? "no limit" : `${next} MiB`} (set LICENSE_SYNC_REPORT_HEAP_MB to start there).\n`,
      );
      budget = next;
    }
  }
}
