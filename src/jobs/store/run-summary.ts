import type { Job, JobState, Queue } from "bullmq";
import type { RunTrigger } from "../../shared/index.js";
import type { RunResult } from "../queue/job-data.js";
import { parentJobId, startJobId } from "../queue/names.js";
import type { RunSummary } from "../queue/types.js";

type Info = { trigger?: RunTrigger; requestedBy?: string; startedAt?: string };

const iso = (millis: number | undefined) => (millis ? new Date(millis).toISOString() : undefined);

/** Drops undefined fields, so summaries compare and print cleanly. */
function compact(summary: RunSummary): RunSummary {
  return Object.fromEntries(
    Object.entries(summary).filter(([, value]) => value !== undefined),
  ) as unknown as RunSummary;
}

async function fromParent(runId: string, parent: Job, state: JobState | "unknown"): Promise<RunSummary> {
  const info = ((parent.data as { run?: Info }).run ?? {}) as Info;
  const result = parent.returnvalue as RunResult | null | undefined;
  const mapped: RunSummary["state"] =
    state === "completed" || state === "failed" || state === "delayed"
      ? state
      : state === "unknown"
        ? "unknown"
        : "active";
  return compact({
    runId,
    trigger: info.trigger ?? "command",
    state: mapped,
    requestedBy: info.requestedBy,
    startedAt: info.startedAt ?? iso(parent.timestamp),
    finishedAt: mapped === "completed" || mapped === "failed" ? iso(parent.finishedOn) : undefined,
    uniqueUsers: result?.uniqueUsers,
    summaryIssueUrl: result?.summaryIssueUrl ?? undefined,
    failedReason: mapped === "failed" ? parent.failedReason : undefined,
  });
}

async function fromStart(runId: string, start: Job, state: JobState | "unknown"): Promise<RunSummary> {
  const data = start.data as Info;
  // A start job that finished without a parent: the parent was trimmed, or config was invalid.
  const mapped: RunSummary["state"] = state === "failed" ? "failed" : state === "completed" ? "unknown" : "waiting";
  return compact({
    runId,
    trigger: data.trigger ?? "command",
    state: mapped,
    requestedBy: data.requestedBy,
    failedReason: mapped === "failed" ? start.failedReason : undefined,
    finishedAt: mapped === "failed" ? iso(start.finishedOn) : undefined,
  });
}

/**
 * A run as `/license-sync status` shows it. The parent job is the run once its flow exists;
 * before that the run is its start job, waiting for its turn.
 *
 * @example const summary = await summarizeRun(queue, "acme-20261123T120000Z-k3f9q");
 */
export async function summarizeRun(queue: Queue, runId: string): Promise<RunSummary> {
  const parent = await stateThenJob(queue, parentJobId(runId));
  if (parent) return fromParent(runId, parent.job, parent.state);
  const start = await stateThenJob(queue, startJobId(runId));
  if (start) return fromStart(runId, start.job, start.state);
  return { runId, trigger: "command", state: "unknown" };
}

/**
 * A job's state, then its data. In this order because BullMQ writes a finished job's result and
 * failure reason in the same step that moves it to completed or failed: data read after a
 * finished state has them. Read the other way round, a job that finishes in between shows
 * "failed" with the data of its active days, without the reason.
 */
async function stateThenJob(queue: Queue, jobId: string): Promise<{ state: JobState; job: Job } | undefined> {
  const state = await queue.getJobState(jobId);
  if (state === "unknown") return undefined;
  const job = await queue.getJob(jobId);
  return job ? { state, job } : undefined;
}
