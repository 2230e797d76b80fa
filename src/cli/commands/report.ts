import { finished } from "node:stream/promises";
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

/** Where a report's worker runs and writes, and its settings; replaced in tests. */
export interface ReportIo {
  /** Where `LICENSE_SYNC_REPORT_HEAP_MB` is read (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** The worker's script (default: report-worker.js beside this module). */
  script?: URL;
  /** Where the worker's standard output goes (default: this process's). */
  stdout?: NodeJS.WritableStream;
  /** Where the retry notice goes (default: this process's standard error). */
  stderr?: NodeJS.WritableStream;
}

/**
 * One attempt. The worker's standard output is passed on here rather than by Node, so that it is
 * known whether any of the report went out: an attempt that ran out of heap after it began
 * writing to standard output is not run again (the reader would get the report's start twice).
 */
async function runInWorker(args: string[], heapMb: number, io: Required<ReportIo>): Promise<number> {
  const worker = new Worker(io.script, {
    workerData: args,
    stdout: true,
    ...(heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
  });
  let wrote = false;
  worker.stdout.on("data", () => (wrote = true));
  worker.stdout.pipe(io.stdout, { end: false });
  let code: number | undefined;
  let failure: Error | undefined;
  worker.on("message", (message: { code: number; message?: string }) => {
    code = message.code;
    if (message.message) failure ??= new InputErrorFromWorker(message.message);
  });
  worker.on("error", (error: Error & { code?: string }) => {
    failure ??= error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new OutOfBudget() : error;
  });
  const exitCode = await new Promise<number>((resolve) => worker.on("exit", resolve));
  // Every byte the worker wrote has been handed on before the attempt is judged.
  await finished(worker.stdout).catch(() => undefined);
  if (failure instanceof OutOfBudget && wrote)
    throw new Error(
      `the report needed more than its heap budget of ${heapMb} MiB while it was being written to standard output, so part of it went out and it is not run again: run it again with LICENSE_SYNC_REPORT_HEAP_MB=${heapMb * 4}, or with --out FILE (a file is written whole or not at all).`,
    );
  if (failure) throw failure;
  return code ?? (exitCode === 0 ? 0 : 1);
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
export async function reportCommand(args: string[], io: ReportIo = {}): Promise<number> {
  const setup: Required<ReportIo> = {
    env: io.env ?? process.env,
    script: io.script ?? new URL("./report-worker.js", import.meta.url),
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
  let budget = reportHeapBudget(setup.env);
  for (;;) {
    try {
      return await runInWorker(args, budget, setup);
    } catch (error) {
      if (!(error instanceof OutOfBudget) || budget === 0) throw error;
      const next = budget >= 16384 ? 0 : budget * 4;
      setup.stderr.write(
        `license-sync report: needed more than ${budget} MiB of heap; running again with ${next === 0 ? "no limit" : `${next} MiB`} (set LICENSE_SYNC_REPORT_HEAP_MB to start there).\n`,
      );
      budget = next;
    }
  }
}
