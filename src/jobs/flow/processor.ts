import { WaitingError, type Job, type Processor } from "bullmq";
import type { Logger } from "probot";
import { failureKind, isFinalFailure, toQueueError } from "./failure.js";
import type { RunInfo, StartRunData } from "../queue/job-data.js";
import { jobLogger, runIdOf } from "./job-logger.js";
import type { JobServices } from "../processors/services.js";
import { processCollectCloud } from "../processors/collect-cloud.js";
import { processCollectIdentities } from "../processors/collect-identities.js";
import { processCollectServer } from "../processors/collect-server.js";
import { processReconcilePublish } from "../processors/reconcile-publish.js";
import { processStartRun, startJobRunId } from "../processors/start-run.js";
import { JOB } from "../queue/names.js";
import { recordRunFailure, type RunRef } from "./outcome.js";

/** The abort reason the worker process uses at shutdown: the job goes back to the queue. */
export const SHUTDOWN_REASON = "shutdown";

/** Job errors that are BullMQ's control flow, not failures. */
const isControlFlow = (error: unknown) =>
  ["DelayedError", "WaitingError", "WaitingChildrenError", "RateLimitError"].includes((error as Error)?.name);

function route(job: Job, token: string | undefined, services: JobServices, log: Logger): Promise<unknown> {
  switch (job.name) {
    case JOB.startRun:
      return processStartRun(job, token, services, log);
    case JOB.collectServer:
      return processCollectServer(job, services, log);
    case JOB.collectCloud:
      return processCollectCloud(job, services, log);
    case JOB.collectIdentities:
      return processCollectIdentities(job, services, log);
    case JOB.reconcilePublish:
      return processReconcilePublish(job, services, log);
    default:
      return Promise.reject(new Error(`unknown job ${job.name}`));
  }
}

/**
 * Runs `work` until it ends or the worker is shutting down; at shutdown the job is handed back
 * (moved to waiting without using an attempt) for another worker, and the abandoned work is
 * left to die with the process.
 */
async function handBackOnShutdown<T>(
  job: Job,
  token: string | undefined,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const running = work();
  if (!signal) return running;
  running.catch(() => undefined);
  let onAbort = () => undefined as void;
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const outcome = await Promise.race([running, aborted]);
    if (outcome !== "aborted" || signal.reason !== SHUTDOWN_REASON) return running;
    await job.moveToWait(token);
    throw new WaitingError();
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** The run a job's failure ends, when it is the job that speaks for the run. */
function runOf(job: Job): RunRef | null {
  if (job.name === JOB.startRun) {
    const data = job.data as StartRunData;
    return {
      runId: startJobRunId(job),
      trigger: data.trigger,
      reply: data.reply,
      startedAt: new Date(job.timestamp).toISOString(),
    };
  }
  // A collection's final failure reaches the parent (continueParentOnFailure), which reports it.
  if (job.name === JOB.reconcilePublish) return (job.data as { run: RunInfo }).run;
  return null;
}

/**
 * The worker's processor: one child logger per attempt, the job routed by name, InputErrors
 * turned into UnrecoverableErrors, failures counted by kind, and a run's final failure recorded
 * (metric, reply with what to fix) before BullMQ stores it.
 *
 * @example new Worker(QUEUE_NAME, createRunProcessor(services), { connection, prefix });
 */
export function createRunProcessor(services: JobServices): Processor {
  // Three declared parameters: BullMQ only passes the abort signal to processors that take one.
  return async (job: Job, token: string | undefined, signal: AbortSignal | undefined) => {
    const runId = job.name === JOB.startRun ? startJobRunId(job) : runIdOf(job);
    const log = jobLogger(services.logger, job, runId);
    try {
      return await handBackOnShutdown(job, token, signal, () => route(job, token, services, log));
    } catch (error) {
      if (isControlFlow(error)) throw error;
      const queueError = toQueueError(error);
      const kind = failureKind(error);
      const final = isFinalFailure(job, queueError);
      services.metrics.failure(job.name, kind);
      log[final ? "error" : "warn"](
        { kind, final, err: queueError.message },
        final ? "job failed for good" : "job failed; BullMQ will retry it",
      );
      const run = final ? runOf(job) : null;
      if (run) await recordRunFailure(services, run, error, job.attemptsMade + 1, log);
      throw queueError;
    }
  };
}
