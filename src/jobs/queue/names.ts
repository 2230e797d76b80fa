/**
 * Names of the queue, its jobs and the ids derived from a run id: one place, so producers,
 * workers and status lookups agree.
 *
 * A run is a BullMQ flow in queue `license-sync`:
 *
 *   start-run (id `<run>-start`, deduplicated per enterprise)
 *     └─ adds ─► reconcile-publish (id `<run>`, the parent)
 *                  ├─ collect-cloud       (id `<run>-cloud`)
 *                  ├─ collect-identities  (id `<run>-identities`)
 *                  └─ collect-server      (id `<run>-server-<n>`, one per configured GHES)
 *
 * The GHEC side is two jobs: its identities are a chain of GraphQL pages (each needs the last
 * one's cursor) that takes longer than the rest of the collection, so a second worker can take
 * them while the first reads the licenses and the GHES reports.
 */
export const QUEUE_NAME = "license-sync";

export const JOB = {
  startRun: "start-run",
  collectServer: "collect-server",
  collectCloud: "collect-cloud",
  collectIdentities: "collect-identities",
  reconcilePublish: "reconcile-publish",
} as const;
export type JobName = (typeof JOB)[keyof typeof JOB];

/** The job that waits for the enterprise's previous run, then adds the run's flow. */
export const startJobId = (runId: string) => `${runId}-start`;
/** The run of a start job id (the inverse of `startJobId`). */
export const runIdOfStartJob = (jobId: string) => jobId.replace(/-start$/, "");
/** The flow's parent: its state is the run's state. */
export const parentJobId = (runId: string) => runId;
export const cloudJobId = (runId: string) => `${runId}-cloud`;
export const identitiesJobId = (runId: string) => `${runId}-identities`;
export const serverJobId = (runId: string, index: number) => `${runId}-server-${index}`;

/**
 * Deduplication id of pending runs: one per enterprise and mode, so a real request never joins a
 * pending dry run (nothing would be posted) nor a dry run a real one (it would post).
 */
export const deduplicationId = (enterprise: string, dryRun = false) => `run-${enterprise}${dryRun ? "-dry-run" : ""}`;
/** Job scheduler id of the enterprise's weekly run. */
export const schedulerId = (enterprise: string) => `weekly-${enterprise}`;

/** Our own Redis keys, beside BullMQ's, under the same prefix. */
export const runKeys = {
  /** Run currently holding the enterprise (see run-gate.ts). */
  activeRun: (prefix: string, enterprise: string) => `${prefix}:${QUEUE_NAME}:ls:active-run:${enterprise}`,
  /** Sorted set of the enterprise's run ids by creation time (see run-index.ts). */
  runIndex: (prefix: string, enterprise: string) => `${prefix}:${QUEUE_NAME}:ls:runs:${enterprise}`,
  /** Everything a run stores (collections) lives under this prefix, for cleanup by pattern. */
  runData: (prefix: string, runId: string) => `${prefix}:${QUEUE_NAME}:ls:run:${runId}:`,
  /** Set of the issues of requests that joined a pending run (see run-requesters.ts). */
  requesters: (prefix: string, runId: string) => `${prefix}:${QUEUE_NAME}:ls:requesters:${runId}`,
  /** A completed run's result, for a retried job that finds its run already published (see run-publication.ts). */
  result: (prefix: string, runId: string) => `${prefix}:${QUEUE_NAME}:ls:result:${runId}`,
  /** Set once when a run's outcome was recorded (metrics, reply). */
  outcome: (prefix: string, runId: string) => `${prefix}:${QUEUE_NAME}:ls:outcome:${runId}`,
  /** Set for a day once a webhook delivery (by id, or by payload digest) was handled (see delivery-claims.ts). */
  delivery: (prefix: string, digest: string) => `${prefix}:${QUEUE_NAME}:ls:delivery:${digest}`,
  /** Cluster-wide run metrics, written by workers, read by /metrics. */
  metrics: (prefix: string) => `${prefix}:${QUEUE_NAME}:ls:metrics`,
};
