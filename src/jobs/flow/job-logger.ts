import type { Job } from "bullmq";
import type { Logger } from "probot";

/** The run a job belongs to, from whichever shape its data has. */
export function runIdOf(job: Pick<Job, "data">): string | undefined {
  const data = job.data as { runId?: unknown; run?: { runId?: unknown } } | undefined;
  const runId = data?.run?.runId ?? data?.runId;
  return typeof runId === "string" ? runId : undefined;
}

/**
 * A child logger for one job attempt: every line carries the run id, the enterprise and the
 * webhook delivery that asked for the run, so one run can be followed across processes.
 *
 * @example jobLogger(logger, job).info("collecting")
 */
export function jobLogger(
  logger: Logger,
  job: Pick<Job, "data" | "name" | "id" | "attemptsMade">,
  runId = runIdOf(job),
): Logger {
  const data = job.data as
    { enterprise?: unknown; deliveryId?: unknown; run?: { enterprise?: unknown; deliveryId?: unknown } } | undefined;
  const enterprise = data?.run?.enterprise ?? data?.enterprise;
  const deliveryId = data?.run?.deliveryId ?? data?.deliveryId;
  return logger.child({
    runId,
    enterprise,
    ...(deliveryId ? { deliveryId } : {}),
    job: job.name,
    jobId: job.id,
    attempt: job.attemptsMade + 1,
  });
}
