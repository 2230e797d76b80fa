import type { Log } from "../github/logger.js";
import type { RunTrigger } from "../publish/types.js";
import { METRICS, RUN_DURATION_BUCKETS } from "./definitions.js";
import type { Labels, RedisMetricStore } from "./metric-store.js";

/** What workers report about runs. Recording never fails a job: errors are logged and dropped. */
export interface RunMetrics {
  runStarted(trigger: RunTrigger): void;
  runFinished(trigger: RunTrigger, outcome: "completed" | "failed", durationSeconds: number): void;
  collected(side: "server" | "cloud", accounts: number, requests: number): void;
  failure(job: string, kind: string): void;
}

/**
 * `RunMetrics` over the shared Redis hash.
 *
 * @example
 *   const metrics = redisRunMetrics(store, logger);
 *   metrics.runFinished("command", "completed", 42.5);
 */
export function redisRunMetrics(store: RedisMetricStore, logger: Log): RunMetrics {
  const record = (updates: Array<{ name: string; labels?: Labels; by: number }>) => {
    store.increment(updates).catch((error: unknown) => logger.warn({ err: String(error) }, "could not record metrics"));
  };
  return {
    runStarted: (trigger) => record([{ name: METRICS.runsStarted.name, labels: { trigger }, by: 1 }]),
    runFinished(trigger, outcome, seconds) {
      const name = METRICS.runDuration.name;
      const labels = { trigger, outcome };
      // Cumulative buckets, as Prometheus exposes them: every bound at or above the value.
      const buckets = [...RUN_DURATION_BUCKETS.filter((le) => seconds <= le).map(String), "+Inf"];
      record([
        { name: outcome === "completed" ? METRICS.runsCompleted.name : METRICS.runsFailed.name, labels: { trigger }, by: 1 },
        ...buckets.map((le) => ({ name: `${name}_bucket`, labels: { ...labels, le }, by: 1 })),
        { name: `${name}_sum`, labels, by: Math.max(0, seconds) },
        { name: `${name}_count`, labels, by: 1 },
      ]);
    },
    collected: (side, accounts, requests) =>
      record([
        { name: METRICS.accountsCollected.name, labels: { side }, by: accounts },
        { name: METRICS.apiRequests.name, labels: { side }, by: requests },
      ]),
    failure: (job, kind) => record([{ name: METRICS.failures.name, labels: { job, kind }, by: 1 }]),
  };
}

/** Records nothing (CLI, unit tests). */
export const noRunMetrics: RunMetrics = { runStarted: () => undefined, runFinished: () => undefined, collected: () => undefined, failure: () => undefined };
