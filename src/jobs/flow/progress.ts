import type { Job } from "bullmq";

/** Progress a run's jobs report: the phase, and counts where there are some. */
export interface RunProgress {
  phase: "waiting" | "starting" | "collecting" | "stored" | "reconciling" | "publishing" | "replying" | "done";
  hostname?: string;
  accountsRead?: number;
  pagesRead?: number;
  pages?: number;
}

/**
 * `job.updateProgress` at most once per `everyMs` (collectors report every thousand accounts;
 * Redis needs far fewer). Phase changes always go through. Failures are ignored: progress is
 * informative only.
 *
 * @example
 *   const report = progressReporter(job);
 *   report({ phase: "collecting", hostname, accountsRead: 12000 });
 */
export function progressReporter(job: Pick<Job, "updateProgress">, everyMs = 2000): (progress: RunProgress) => void {
  let last = 0;
  let lastPhase: string | undefined;
  return (progress) => {
    const now = Date.now();
    if (progress.phase === lastPhase && now - last < everyMs) return;
    last = now;
    lastPhase = progress.phase;
    job.updateProgress({ ...progress }).catch(() => undefined);
  };
}
