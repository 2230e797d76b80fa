import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { Log } from "../shared/index.js";
import { LABEL_VALUES, knownOr } from "./definitions.js";
import type { RedisMetricStore, StoredSeries } from "./metric-store.js";
import { storedMetricsRegistry } from "./stored-metrics.js";

export interface WebMetricsOptions {
  /** Run metrics recorded by workers; left out when Redis cannot be read. */
  store: RedisMetricStore;
  /** The deployment's enterprise: the only value of the `enterprise` label. */
  enterprise: string;
  /** Jobs per state of queue `license-sync` (BullMQ `getJobCounts`). */
  jobCounts: () => Promise<Record<string, number>>;
  /** Whether Redis answers (as /readyz sees it). */
  redisUp: () => Promise<boolean>;
  logger: Log;
}

export interface WebMetrics {
  /**
   * Counts one webhook delivery. `event` is the unauthenticated `X-GitHub-Event` header: values
   * outside the known events are counted as `other`, so no request adds a series.
   */
  countWebhook(event: string, status: number): void;
  /** Body and content type of `/metrics`. */
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * `/metrics`: this process's own metrics (Node.js runtime as `license_sync_web_*`, webhook
 * deliveries, Redis reachability) and the deployment-wide ones read from Redis at each scrape
 * (runs, failures, durations, the enterprise's seat gauges, queue depth). Every series has labels
 * from fixed sets and exists from the start (counters at 0). A scrape never fails because Redis
 * is down: the Redis-backed samples are left out and `license_sync_redis_up` says 0.
 *
 * @example
 *   const metrics = createWebMetrics({ store, enterprise: "acme", jobCounts: () => queue.getJobCounts(), redisUp, logger });
 *   const { contentType, body } = await metrics.render();
 */
export function createWebMetrics(options: WebMetricsOptions): WebMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "license_sync_web_" });
  const webhooks = new Counter({
    name: "license_sync_webhooks_total",
    help: "Webhook deliveries this web process answered, by event and status.",
    labelNames: ["event", "status"] as const,
    registers: [registry],
  });
  for (const event of LABEL_VALUES.event) for (const status of LABEL_VALUES.status) webhooks.inc({ event, status }, 0);
  let up = false;
  new Gauge({
    name: "license_sync_redis_up",
    help: "1 when Redis answered this web process's PING at the scrape.",
    registers: [registry],
    collect() {
      this.set(up ? 1 : 0);
    },
  });
  new Gauge({
    name: "license_sync_queue_jobs",
    help: "Jobs of queue license-sync by state (deployment-wide).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!up) return;
      const counts = await options.jobCounts().catch(() => undefined);
      if (counts) for (const state of LABEL_VALUES.state) this.set({ state }, counts[state] ?? 0);
    },
  });
  return {
    countWebhook(event, status) {
      webhooks.inc({ event: knownOr(LABEL_VALUES.event, event), status: knownOr(LABEL_VALUES.status, String(status)) });
    },
    async render() {
      // Decided once per scrape: the registry collects its metrics concurrently.
      up = await options.redisUp().catch(() => false);
      let snapshot: StoredSeries[] | undefined;
      if (up) {
        try {
          snapshot = await options.store.snapshot();
        } catch (error) {
          options.logger.warn({ err: String(error) }, "run metrics unavailable for this scrape");
        }
      }
      const scrape = Registry.merge([registry, await storedMetricsRegistry(options.enterprise, snapshot)]);
      return { contentType: scrape.contentType, body: await scrape.metrics() };
    },
  };
}
