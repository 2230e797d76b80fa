import { hostname } from "node:os";
import { FlowProducer, Queue, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "probot";
import type { DeploymentConfig } from "../config/index.js";
import {
  createAppClients,
  createRunWorker,
  type JobServices,
  QUEUE_NAME,
  runKeys,
  RunStore,
  SHUTDOWN_REASON,
} from "../jobs/index.js";
import { RedisMetricStore, redisRunMetrics } from "../metrics/index.js";
import { publishRun, renderCommandReply } from "../publish/index.js";
import { closeRedis, createRedisConnection } from "./redis.js";
import { watchRedis } from "./redis-health.js";
import type { RuntimeSettings } from "./settings.js";
import { closeInOrder, within } from "./shutdown.js";

/** Timings tests and the demo shorten. */
export interface WorkerTuning {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How often a start job waiting for the enterprise's run checks again (default 5 s). */
  startPollMs?: number;
  /** First retry backoff of every job (default 10-30 s by job kind). */
  backoffMs?: number;
}

export interface WorkerProcessOptions {
  settings: Pick<
    RuntimeSettings,
    | "appId"
    | "privateKey"
    | "redisUrl"
    | "queuePrefix"
    | "appApiUrl"
    | "secret"
    | "workerConcurrency"
    | "shutdownGraceMs"
  >;
  deployment: DeploymentConfig;
  logger: Logger;
  /** Worker name (default `host:pid`). */
  name?: string;
  /** GHES report downloads (default Node's fetch). */
  fetch?: typeof fetch;
  tuning?: WorkerTuning;
  /** Publication, injectable for tests of the runtime alone (default src/publish). */
  publish?: Pick<JobServices, "publishRun" | "renderCommandReply">;
}

export interface WorkerProcess {
  worker: Worker;
  /**
   * Graceful stop: takes no new job, lets active ones finish within the grace period, hands the
   * rest back to the queue, then closes queues and Redis.
   */
  close(): Promise<void>;
  /** Test hook: stops dead, as a crashed machine would; active jobs stall and move elsewhere. */
  kill(): Promise<void>;
}

/**
 * A worker process: one BullMQ worker on queue `license-sync` plus the producer side its jobs
 * need (flow producer, run store, run gate), each on its own named connection.
 *
 * @example
 *   const worker = await startWorkerProcess({ settings, deployment, logger });
 *   process.on("SIGTERM", () => worker.close());
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const { settings, deployment, logger, tuning = {} } = options;
  const prefix = settings.queuePrefix;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const producer: Redis = createRedisConnection({ url: settings.redisUrl, process: "worker", role: "producer" });
  const consumer: Redis = createRedisConnection({ url: settings.redisUrl, process: "worker", role: "worker" });
  watchRedis(producer, logger, "worker producer");
  watchRedis(consumer, logger, "worker consumer");
  const queue = new Queue(QUEUE_NAME, { connection: producer, prefix });
  const flow = new FlowProducer({ connection: producer, prefix });
  queue.on("error", (error) => logger.debug({ err: error.message }, "queue error"));
  flow.on("error", (error) => logger.debug({ err: error.message }, "flow producer error"));
  const app = {
    appId: settings.appId,
    privateKey: settings.privateKey,
    apiUrl: settings.appApiUrl ?? deployment.cloud.apiUrl,
  };
  const services: JobServices = {
    deployment,
    secret: settings.secret,
    app,
    appClients: createAppClients(app, logger),
    queue,
    flow,
    redis: producer,
    prefix,
    store: new RunStore(producer),
    logger,
    metrics: redisRunMetrics(new RedisMetricStore(producer, runKeys.metrics(prefix)), logger),
    publishRun: options.publish?.publishRun ?? publishRun,
    renderCommandReply: options.publish?.renderCommandReply ?? renderCommandReply,
    fetch: options.fetch,
    now: () => new Date(),
    retry: tuning.backoffMs === undefined ? undefined : { backoffMs: tuning.backoffMs },
    startPollMs: tuning.startPollMs ?? 5000,
  };
  const worker = createRunWorker({
    services,
    connection: consumer,
    name,
    concurrency: settings.workerConcurrency,
    lockDurationMs: tuning.lockDurationMs,
    stalledIntervalMs: tuning.stalledIntervalMs,
  });
  logger.info(
    { worker: name, concurrency: settings.workerConcurrency, servers: deployment.servers.length },
    "worker process started",
  );
  const closeProducers = [
    { name: "queue", close: () => queue.close() },
    { name: "flow producer", close: () => flow.close() },
    { name: "redis", close: async () => void (await Promise.all([closeRedis(producer), closeRedis(consumer)])) },
  ];
  // Active jobs get the grace period minus a reserve for handing them back and closing the
  // connections, so the whole shutdown fits in LICENSE_SYNC_SHUTDOWN_GRACE_SECONDS.
  const stopWorker = async (handBackAt: number, giveUpAt: number) => {
    const closing = worker.close();
    if ((await within(closing, handBackAt - Date.now())) !== "timeout") return;
    logger.warn(
      { graceMs: settings.shutdownGraceMs },
      "the worker did not stop in time (jobs still active, or Redis unreachable); handing its jobs back to the queue",
    );
    worker.cancelAllJobs(SHUTDOWN_REASON);
    // With Redis away BullMQ never finishes closing; its jobs' locks expire and other workers take them.
    if ((await within(closing, giveUpAt - Date.now())) === "timeout")
      throw new Error(
        "the worker did not stop (is Redis reachable?); its jobs will be retried once their locks expire",
      );
  };
  return {
    worker,
    async close() {
      const graceMs = settings.shutdownGraceMs;
      const deadline = Date.now() + graceMs;
      const reserve = Math.min(3000, graceMs / 3);
      await closeInOrder(
        [{ name: "worker", close: () => stopWorker(deadline - reserve, deadline - reserve / 2) }, ...closeProducers],
        logger,
        graceMs,
        deadline,
      );
    },
    async kill() {
      producer.disconnect(false);
      consumer.disconnect(false);
      await closeInOrder([{ name: "worker", close: () => worker.close(true) }, ...closeProducers], logger, 5000);
    },
  };
}
