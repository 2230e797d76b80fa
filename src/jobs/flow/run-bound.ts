import type { DeploymentConfig } from "../../config/index.js";
import { DEFAULT_RATE_LIMIT_POLICY } from "../../github/index.js";
import { COLLECT_JOB_OPTIONS, RECONCILE_JOB_OPTIONS } from "../queue/job-options.js";

/**
 * Longest a run may hold its enterprise, derived from the deadlines that bound its work: each
 * try of a GHES collection waits at most `collect.reportDeadlineSeconds` for the report,
 * `timeouts.reportSeconds` for its download and a few `timeouts.requestSeconds` beside it, plus
 * the rate-limit waits the clients accept; a collection is tried `attempts` times, with
 * backoffs between; reconcile and publish get as much again. Past this bound the gate lets the
 * next run start even if a worker is still stuck on the old one, so a hung run cannot block
 * the enterprise for longer than what its settings allow. With the defaults: about 15 hours.
 *
 * @example claimEnterprise({ redis, prefix, queue, maxRunMs: runHoldBoundMs(deployment) }, enterprise, runId)
 */
export function runHoldBoundMs(deployment: Pick<DeploymentConfig, "collect" | "timeouts">): number {
  const { collect, timeouts } = deployment;
  const rateLimitWaits = DEFAULT_RATE_LIMIT_POLICY.retries * DEFAULT_RATE_LIMIT_POLICY.maxWaitSeconds;
  // GET /user, the license and the stats beside the report, each with its own retries.
  const apiCalls = 3 * 4 * timeouts.requestSeconds;
  const attemptMs = (collect.reportDeadlineSeconds + timeouts.reportSeconds + apiCalls + rateLimitWaits) * 1000;
  const collectMs =
    tries(COLLECT_JOB_OPTIONS.attempts) * attemptMs +
    backoffsMs(COLLECT_JOB_OPTIONS.backoff, tries(COLLECT_JOB_OPTIONS.attempts));
  const reconcileMs =
    tries(RECONCILE_JOB_OPTIONS.attempts) * attemptMs +
    backoffsMs(RECONCILE_JOB_OPTIONS.backoff, tries(RECONCILE_JOB_OPTIONS.attempts));
  return collectMs + reconcileMs;
}

const tries = (attempts: number | undefined) => attempts ?? 1;

/** The sum of the exponential backoffs between `attempts` tries. */
function backoffsMs(backoff: unknown, attempts: number): number {
  const delay =
    typeof backoff === "object" && backoff !== null && "delay" in backoff
      ? Number((backoff as { delay: unknown }).delay)
      : 0;
  let total = 0;
  for (let retry = 1; retry < attempts; retry++) total += delay * 2 ** (retry - 1);
  return total;
}
