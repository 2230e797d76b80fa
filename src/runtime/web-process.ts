import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { Probot, ProbotOctokit, createNodeMiddleware, type Logger } from "probot";
import type { WebDeploymentConfig } from "../config/index.js";
import { emailGuardPlugin } from "../github/index.js";
import { createApp } from "../handlers/index.js";
import {
  BullmqRunQueue,
  guardQueueCall,
  QUEUE_NAME,
  redisDeliveryClaims,
  type RetryTuning,
  runKeys,
} from "../jobs/index.js";
import { createWebMetrics, metricsEndpoint, RedisMetricStore } from "../metrics/index.js";
import { createEmailProtector } from "../privacy/index.js";
import { closeRedis, createRedisConnection } from "./redis.js";
import { pingRedis, watchRedis } from "./redis-health.js";
import type { RuntimeSettings } from "./settings.js";
import { closeInOrder } from "./shutdown.js";
import { createWebServer } from "./web-server.js";

export interface WebProcessOptions {
  settings: Pick<
    RuntimeSettings,
    "appId" | "privateKey" | "webhookSecret" | "redisUrl" | "queuePrefix" | "port" | "appApiUrl" | "secret"
  > &
    Partial<Pick<RuntimeSettings, "shutdownGraceMs" | "metricsPort" | "metricsToken">>;
  deployment: WebDeploymentConfig;
  logger: Logger;
  /** Interface to listen on (default all). */
  host?: string;
  retry?: RetryTuning;
  /**
   * Probot's Octokit class; the embedded environment passes one without write throttling (the
   * simulator needs none, and a burst of 20 commands would otherwise take 40 s of spaced writes).
   */
  probotOctokit?: typeof ProbotOctokit;
}

export interface WebProcess {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** `http://127.0.0.1:METRICS_PORT` when metrics have a port of their own, else `url`. */
  metricsUrl: string;
  queue: BullmqRunQueue;
  /** What `/readyz` answers: Redis answers PING. */
  ready(): Promise<boolean>;
  /** Stops taking requests, lets in-flight ones finish (bounded), closes the queue and Redis. */
  close(): Promise<void>;
}

export const WEBHOOK_PATH = "/api/github/webhooks";

/**
 * The web process: Probot's webhooks (handlers enqueue through the BullMQ run queue), `/healthz`,
 * `/readyz`, `/metrics`. Starts even when Redis is down (readiness says so, webhooks get 503).
 *
 * @example
 *   const web = await startWebProcess({ settings, deployment, logger });
 *   await web.close();
 */
export async function startWebProcess(options: WebProcessOptions): Promise<WebProcess> {
  const { settings, deployment, logger } = options;
  const prefix = settings.queuePrefix;
  const redis = createRedisConnection({ url: settings.redisUrl, process: "web", role: "producer" });
  watchRedis(redis, logger, "web producer");
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
  queue.on("error", (error) => logger.debug({ err: error.message }, "queue error"));
  const runQueue = new BullmqRunQueue({ queue, redis, prefix, retry: options.retry });
  // Handlers reply and comment through Probot's client: it carries the email guard as ours do.
  const octokit = (options.probotOctokit ?? ProbotOctokit).plugin(emailGuardPlugin) as typeof ProbotOctokit;
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.appApiUrl ?? deployment.cloud.apiUrl,
    log: logger,
    Octokit: octokit,
  });
  const usageFileKeyId = createEmailProtector({ secret: settings.secret }).keyId;
  const webhooks = await createNodeMiddleware(
    createApp({ queue: runQueue, deployment, logger, usageFileKeyId, deliveries: redisDeliveryClaims(redis, prefix) }),
    { probot, webhooksPath: WEBHOOK_PATH },
  );
  const metrics = createWebMetrics({
    store: new RedisMetricStore(redis, runKeys.metrics(prefix)),
    enterprise: deployment.enterprise,
    jobCounts: () => guardQueueCall(redis, () => queue.getJobCounts(), 2000),
    redisUp: () => pingRedis(redis),
    logger,
  });
  const serveMetrics = metricsEndpoint(metrics, settings.metricsToken);
  const ownPort = settings.metricsPort !== undefined;
  const server = createWebServer({
    webhooks,
    webhookPath: WEBHOOK_PATH,
    redisReady: () => pingRedis(redis),
    redisConnected: () => redis.status === "ready",
    metrics,
    serveMetrics: ownPort ? undefined : serveMetrics,
    logger,
  });
  const port = await listen(server, settings.port, options.host);
  // METRICS_PORT: /metrics and nothing else, e.g. reachable from the cluster only, not from GitHub.
  const metricsServer = ownPort ? createMetricsServer(serveMetrics, logger) : undefined;
  const metricsPort = metricsServer ? await listen(metricsServer, settings.metricsPort!, options.host) : port;
  logger.info(
    { port, webhookPath: WEBHOOK_PATH, metricsPort, metricsToken: settings.metricsToken ? "required" : "none" },
    "web process listening",
  );
  const graceMs = settings.shutdownGraceMs ?? 25_000;
  const closeServer = (http: Server) => () =>
    new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeIdleConnections();
      // In-flight deliveries get part of the grace period; then connections are cut.
      setTimeout(() => http.closeAllConnections(), Math.min(5000, graceMs / 2)).unref();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    queue: runQueue,
    ready: () => pingRedis(redis),
    async close() {
      await closeInOrder(
        [
          { name: "http server", close: closeServer(server) },
          ...(metricsServer ? [{ name: "metrics server", close: closeServer(metricsServer) }] : []),
          { name: "queue", close: () => queue.close() },
          { name: "redis", close: () => closeRedis(redis) },
        ],
        logger,
        10_000,
        Date.now() + graceMs,
      );
    },
  };
}

/** Listens on `port` (0: any free one) and resolves with the port bound. */
async function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** The `METRICS_PORT` server: `GET /metrics`, 404 for anything else. */
function createMetricsServer(
  serveMetrics: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  logger: Logger,
): Server {
  return createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    serveMetrics(request, response).catch((error: unknown) => {
      logger.error({ err: String(error) }, "metrics request failed");
      if (!response.headersSent) response.writeHead(500).end();
      else response.end();
    });
  });
}
