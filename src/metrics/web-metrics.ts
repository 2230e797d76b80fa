import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { Log } from "../github/logger.js";
import { renderStoredMetrics } from "./exposition.js";
import type { RedisMetricStore } from "./metric-store.js";

export interface WebMetricsOptions {
  /** Run metrics recorded by workers; left out when Redis cannot be read. */
  store: RedisMetricStore;
  /** Jobs per state of queue `license-sync` (BullMQ `getJobCounts`). */
  jobCounts: () => Promise<Record<string, number>>;
  /** Whether Redis answers (as /readyz sees it). */
  redisUp: () => Promise<boolean>;
  logger: Log;
}

export interface WebMetrics {
  /** Webhook deliveries by event and answered status. */
  webhooks: Counter<"event" | "status">;
  /** Body and content type of `/metrics`. */
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * `/metrics`: this process's own metrics (Node.js runtime, webhook deliveries, queue depth,
 * Redis reachability) followed by the deployment-wide run metrics workers keep in Redis. A
 * scrape never fails because Redis is down: the Redis-backed parts are left out and
 * `license_sync_redis_up` says 0.
 *
 * @example
 *   const metrics = createWebMetrics({ store, jobCounts: () => queue.getJobCounts(), redisUp, logger });
 *   const { contentType, body } = await metrics.render();
 */
export function createWebMetrics(options: WebMetricsOptions): WebMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "license_sync_web_" });
  const webhooks = new Counter({ name: "license_sync_webhooks_total", help: "Webhook deliveries received, by event and answered status.", labelNames: ["event", "status"] as const, registers: [registry] });
  let up = false;
  new Gauge({
    name: "license_sync_redis_up",
    help: "1 when Redis answered the last scrape's PING.",
    registers: [registry],
    collect() {
      this.set(up ? 1 : 0);
    },
  });
  new Gauge({
    name: "license_sync_queue_jobs",
    help: "Jobs of queue license-sync by state.",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!up) return;
      const counts = await options.jobCounts().catch(() => ({}) as Record<string, number>);
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
  return {
    webhooks,
    async render() {
      // Decided once per scrape: the registry collects its metrics concurrently.
      up = await options.redisUp().catch(() => false);
      const local = await registry.metrics();
      let stored = "";
      if (up) {
        try {
          stored = renderStoredMetrics(await options.store.snapshot());
        } catch (error) {
          options.logger.warn({ err: String(error) }, "run metrics unavailable for this scrape");
        }
      }
      return { contentType: registry.contentType, body: stored ? `${local}\n${stored}` : local };
    },
  };
}
