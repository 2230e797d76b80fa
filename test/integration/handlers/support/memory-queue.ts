import type {
  EnqueueResult,
  RunQueue,
  RunRequest,
  RunSummary,
  ScheduledRun,
} from "../../../../src/jobs/queue/types.js";

/**
 * An in-memory RunQueue that records every call, so handler tests are about handlers and not
 * BullMQ. `deduplicate` makes the next enqueue answer as if a pending run absorbed it.
 */
export class MemoryRunQueue implements RunQueue {
  readonly enqueued: RunRequest[] = [];
  readonly schedules: Array<{
    enterprise: string;
    schedule: { cron: string; timezone: string };
    installationId: number;
  }> = [];
  readonly removed: string[] = [];
  runs: RunSummary[] = [];
  scheduled: ScheduledRun | null = null;
  deduplicate = false;

  async enqueueRun(request: RunRequest): Promise<EnqueueResult> {
    this.enqueued.push(request);
    return { runId: this.deduplicate ? "run-1" : `run-${this.enqueued.length}`, deduplicated: this.deduplicate };
  }

  async upsertSchedule(
    enterprise: string,
    schedule: { cron: string; timezone: string },
    installationId: number,
  ): Promise<void> {
    this.schedules.push({ enterprise, schedule, installationId });
  }

  async removeSchedule(enterprise: string): Promise<void> {
    this.removed.push(enterprise);
  }

  async recentRuns(_enterprise: string, limit: number): Promise<RunSummary[]> {
    return this.runs.slice(0, limit);
  }

  async nextScheduledRun(): Promise<Date | null> {
    return this.scheduled?.next ?? null;
  }

  async scheduledRun(): Promise<ScheduledRun | null> {
    return this.scheduled;
  }
}
