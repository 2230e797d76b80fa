import type { JobsOptions } from "bullmq";

/** How long finished jobs stay for `/license-sync status` and debugging. */
const KEEP_COMPLETED = { age: 30 * 24 * 3600, count: 200 };
const KEEP_FAILED = { age: 90 * 24 * 3600, count: 500 };

/**
 * Collect jobs talk to GHES and GHEC: transient failures (5xx, timeouts, a GHES still building
 * its report) get three tries, 30 s then 60 s apart. The HTTP clients already retry single
 * requests; these retries cover a whole collection that failed.
 */
export const COLLECT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 30_000 },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
  // The parent runs once every child is done, or as soon as one failed for good: it then
  // reports the failure instead of waiting for the others.
  continueParentOnFailure: true,
};

/** The parent re-reads stored collections on a retry, so retrying publication is cheap. */
export const RECONCILE_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 20_000 },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
};

/** The start job reads the repository config and adds the flow: quick, retried on GitHub hiccups. */
export const START_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 10_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 200 },
  removeOnFail: KEEP_FAILED,
};

/** Overrides for tests and the demo, which cannot wait 30 s between tries. */
export interface RetryTuning {
  /** First backoff delay of every job kind, ms. */
  backoffMs?: number;
}

/** The options above with the backoff delay replaced. */
export function withBackoff(options: JobsOptions, tuning: RetryTuning | undefined): JobsOptions {
  return tuning?.backoffMs === undefined
    ? options
    : { ...options, backoff: { type: "exponential", delay: tuning.backoffMs } };
}
