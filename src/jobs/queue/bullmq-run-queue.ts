import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { StartRunData } from "./job-data.js";
import { START_JOB_OPTIONS, withBackoff, type RetryTuning } from "./job-options.js";
import { JOB, deduplicationId, runIdOfStartJob, schedulerId, startJobId } from "./names.js";
import { guardQueueCall } from "./unavailable.js";
import { newRunId } from "./run-id.js";
import { addRequester } from "../store/requesters.js";
import { listRuns, recordRun } from "../store/run-index.js";
import { summarizeRun } from "../store/run-summary.js";
import type { EnqueueResult, RunQueue, RunRequest, RunSummary, ScheduledRun } from "./types.js";

export interface BullmqRunQueueOptions {
  /** Queue `license-sync`, on `redis`. */
  queue: Queue;
  /** The producer connection the queue uses (fail-fast); also holds the run index. */
  redis: Redis;
  /** BullMQ key prefix of the queue. */
  prefix: string;
  /** Give up on Redis after this long and answer "unavailable" (default 5 s). */
  timeoutMs?: number;
  retry?: RetryTuning;
  now?: () => Date;
}

/**
 * `RunQueue` on BullMQ. A request becomes a `start-run` job deduplicated per enterprise and mode
 * (dry run or real): while one is pending every further request of that mode joins it, and is
 * answered on its own issue when the run ends; once it has started its run, the next request
 * queues exactly one more (at most one active run and one pending per enterprise and mode). Every call
 * fails fast with a `QueueUnavailableError` (HTTP 503) when Redis is down.
 *
 * @example
 *   const runs = new BullmqRunQueue({ queue, redis, prefix: "license-sync" });
 *   await runs.enqueueRun({ enterprise: "acme", trigger: "command", requestedBy: "mona" });
 */
export class BullmqRunQueue implements RunQueue {
  constructor(private readonly options: BullmqRunQueueOptions) {}

  private guard<T>(call: () => Promise<T>): Promise<T> {
    return guardQueueCall(this.options.redis, call, this.options.timeoutMs);
  }

  async enqueueRun(request: RunRequest): Promise<EnqueueResult> {
    const { queue, redis, prefix } = this.options;
    const now = this.options.now?.() ?? new Date();
    const runId = newRunId(request.enterprise, now);
    const data: StartRunData = { ...request, runId };
    const job = await this.guard(() =>
      queue.add(JOB.startRun, data, {
        ...withBackoff(START_JOB_OPTIONS, this.options.retry),
        jobId: startJobId(runId),
        deduplication: { id: deduplicationId(request.enterprise, request.dryRun) },
      }),
    );
    // A deduplicated add answers with the pending start job's id (the data is still ours): this
    // request joins that job's run, which must answer it on its own issue too.
    const deduplicated = job.id !== startJobId(runId);
    if (deduplicated) {
      const joined = runIdOfStartJob(String(job.id));
      if (request.reply) await this.guard(() => addRequester(redis, prefix, joined, request.reply!));
      return { runId: joined, deduplicated };
    }
    await this.guard(() => recordRun(redis, prefix, request.enterprise, runId, now.getTime()));
    return { runId, deduplicated };
  }

  async upsertSchedule(
    enterprise: string,
    schedule: { cron: string; timezone: string },
    installationId: number,
  ): Promise<void> {
    const { removeOnComplete, removeOnFail, attempts, backoff } = withBackoff(START_JOB_OPTIONS, this.options.retry);
    const data: StartRunData = { enterprise, trigger: "schedule", installationId };
    await this.guard(() =>
      this.options.queue.upsertJobScheduler(
        schedulerId(enterprise),
        { pattern: schedule.cron, tz: schedule.timezone },
        { name: JOB.startRun, data, opts: { removeOnComplete, removeOnFail, attempts, backoff } },
      ),
    );
  }

  async removeSchedule(enterprise: string): Promise<void> {
    await this.guard(() => this.options.queue.removeJobScheduler(schedulerId(enterprise)));
  }

  async recentRuns(enterprise: string, limit: number): Promise<RunSummary[]> {
    const { queue, redis, prefix } = this.options;
    const runIds = await this.guard(() => listRuns(redis, prefix, enterprise, limit));
    return this.guard(() => Promise.all(runIds.map((runId) => summarizeRun(queue, runId))));
  }

  async nextScheduledRun(enterprise: string): Promise<Date | null> {
    return (await this.scheduledRun(enterprise))?.next ?? null;
  }

  async scheduledRun(enterprise: string): Promise<ScheduledRun | null> {
    const scheduler = await this.guard(() => this.options.queue.getJobScheduler(schedulerId(enterprise)));
    if (!scheduler?.next || !scheduler.pattern) return null;
    return { next: new Date(scheduler.next), cron: scheduler.pattern, timezone: scheduler.tz ?? "UTC" };
  }
}
