import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { JobServices } from "../processors/services.js";
import { QUEUE_NAME } from "../queue/names.js";
import { createRunProcessor } from "./processor.js";
import { isRedisDown } from "../queue/unavailable.js";

export interface RunWorkerOptions {
  services: JobServices;
  /** A `worker`-role connection (`maxRetriesPerRequest: null`); BullMQ duplicates it. */
  connection: Redis;
  /** Worker name, shown by BullMQ's `getWorkers` and in the blocking connection's name. */
  name: string;
  concurrency: number;
  /** Lock of an active job; an unresponsive worker loses its jobs after this (default 60 s). */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers (default 30 s). */
  stalledIntervalMs?: number;
}

/**
 * A BullMQ worker for queue `license-sync`: runs start, collect and reconcile jobs alike, so any
 * worker on any machine takes any part of any run. A job whose worker died (lock expired) is
 * picked up by another once, then failed (`maxStalledCount: 1`): a job that kills workers
 * must not kill them all.
 *
 * @example const worker = createRunWorker({ services, connection, name: "worker-1", concurrency: 4 });
 */
export function createRunWorker(options: RunWorkerOptions): Worker {
  const { services } = options;
  const worker = new Worker(QUEUE_NAME, createRunProcessor(services), {
    connection: options.connection,
    prefix: services.prefix,
    name: options.name,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 60_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 1,
  });
  worker.on("error", (error) => {
    // While Redis is away every reconnect attempt fails; the connection's watcher says so once.
    const connectionLost = options.connection.status !== "ready" || isRedisDown(error);
    if (!connectionLost) services.logger.warn({ err: error.message, worker: options.name }, "worker error");
    else services.logger.debug({ err: error.message, worker: options.name }, "worker error while Redis is unavailable");
  });
  worker.on("stalled", (jobId) =>
    services.logger.warn({ jobId, worker: options.name }, "job stalled (its worker stopped answering); retrying it"),
  );
  return worker;
}
