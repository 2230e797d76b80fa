/**
 * Jobs: the run on BullMQ. `queue/` takes requests, `flow/` runs a run's jobs (gate, worker,
 * failures, outcome), `processors/` are the thin job bodies, `store/` keeps a run's records and
 * results in Redis.
 */
export { SHUTDOWN_REASON } from "./flow/processor.js";
export { createRunWorker } from "./flow/worker.js";
export { createAppClients } from "./processors/app-clients.js";
export type { JobServices } from "./processors/services.js";
export { BullmqRunQueue } from "./queue/bullmq-run-queue.js";
export { type DeliveryClaims, redisDeliveryClaims } from "./queue/delivery-claims.js";
export type { RetryTuning } from "./queue/job-options.js";
export { QUEUE_NAME, runKeys } from "./queue/names.js";
export type { EnqueueResult, RunQueue, RunSummary, ScheduledRun } from "./queue/types.js";
export { guardQueueCall } from "./queue/unavailable.js";
export { RunStore } from "./store/run-store.js";
