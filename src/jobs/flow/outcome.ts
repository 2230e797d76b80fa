import type { Logger } from "probot";
import type { RunTrigger } from "../../shared/index.js";
import { adminClient, type JobServices } from "../processors/services.js";
import { runKeys } from "../queue/names.js";
import { failureReply, postReplyOnce } from "./replies.js";
import { requestersOf } from "../store/requesters.js";
import type { RunRequest } from "../queue/types.js";

/** The run a failure or success belongs to. */
export interface RunRef {
  runId: string;
  trigger: RunTrigger;
  reply?: RunRequest["reply"];
  /** ISO 8601; the duration metric starts here. */
  startedAt?: string;
}

const OUTCOME_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Marks the run's outcome as recorded; false when it already was (a retried parent after its
 * reply went out, or a second failing path of the same run). Metrics and replies happen once.
 */
export async function claimOutcome(
  services: Pick<JobServices, "redis" | "prefix">,
  runId: string,
  outcome: "completed" | "failed",
): Promise<boolean> {
  const set = await services.redis.set(
    runKeys.outcome(services.prefix, runId),
    outcome,
    "EX",
    OUTCOME_TTL_SECONDS,
    "NX",
  );
  return set === "OK";
}

/** Whether the run's outcome was recorded already. */
export async function outcomeRecorded(
  services: Pick<JobServices, "redis" | "prefix">,
  runId: string,
): Promise<boolean> {
  return (await services.redis.exists(runKeys.outcome(services.prefix, runId))) === 1;
}

function secondsSince(startedAt: string | undefined, now: Date): number {
  const started = startedAt ? Date.parse(startedAt) : NaN;
  return Number.isFinite(started) ? Math.max(0, (now.getTime() - started) / 1000) : 0;
}

/**
 * A run failed for good: count it and, when it came from a command, tell the commenter what
 * happened (and what to fix, for configuration and permission errors). Never throws: the job's
 * own error is what BullMQ must record.
 *
 * @example await recordRunFailure(services, { runId, trigger: "command", reply }, error, attempts, log);
 */
export async function recordRunFailure(
  services: JobServices,
  run: RunRef,
  error: unknown,
  attempts: number,
  log: Logger,
): Promise<void> {
  try {
    if (!(await claimOutcome(services, run.runId, "failed"))) return;
    services.metrics.runFinished(run.trigger, "failed", secondsSince(run.startedAt, services.now()));
    // Nothing will read the run's collections any more.
    await services.store.deleteUnder(runKeys.runData(services.prefix, run.runId));
    const requesters = await requestersOf(services.redis, services.prefix, run);
    if (requesters.length === 0) return;
    const octokit = await adminClient(services);
    const body = failureReply(run.runId, error, attempts);
    for (const target of requesters)
      log.info({ replyUrl: await postReplyOnce(octokit, target, run.runId, body) }, "failure reply posted");
  } catch (replyError) {
    log.error({ err: String(replyError) }, "could not record the run's failure or reply to the command");
  }
}

/** A run completed: count it with its duration. */
export function recordRunSuccess(services: JobServices, run: RunRef): void {
  services.metrics.runFinished(run.trigger, "completed", secondsSince(run.startedAt, services.now()));
}
