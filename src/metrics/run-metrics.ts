import type { Log } from "../github/logger.js";
import type { Report } from "../shared/report.js";
import type { RunTrigger } from "../publish/types.js";
import { Registry } from "prom-client";
import { LABEL_VALUES, METRICS, registerDeploymentMetrics } from "./definitions.js";
import { seriesField, type Labels, type RedisMetricStore } from "./metric-store.js";

/** What workers report about runs. Recording never fails a job: errors are logged and dropped. */
export interface RunMetrics {
  runStarted(trigger: RunTrigger): void;
  runFinished(trigger: RunTrigger, outcome: "completed" | "failed", durationSeconds: number): void;
  collected(side: "server" | "cloud", accounts: number, requests: number): void;
  failure(job: string, kind: string): void;
  /** A run published (not a dry run): the enterprise's gauges take its figures. */
  published(enterprise: string, report: Pick<Report, "totals" | "divergences">, at: Date): void;
}

/** `github_404` -> `github_4xx`: one series per class of status, not per status. */
export function failureKindLabel(kind: string): string {
  const status = /^github_(\d)\d\d$/.exec(kind);
  const label = status ? `github_${status[1]}xx` : kind;
  return (LABEL_VALUES.kind as readonly string[]).includes(label) ? label : "internal";
}

/** The enterprise's gauges from one published run. */
export function enterpriseGauges(
  enterprise: string,
  report: Pick<Report, "totals" | "divergences">,
  at: Date,
): Array<{ name: string; labels: Labels; value: number | null }> {
  const { totals } = report;
  const labels = { enterprise };
  const purchased = totals.seatsPurchased;
  const consumed = Math.max(totals.seatsConsumedReported, totals.uniqueUsers);
  return [
    { name: METRICS.uniqueUsers.name, labels, value: totals.uniqueUsers },
    { name: METRICS.seatsConsumed.name, labels, value: totals.seatsConsumedReported },
    { name: METRICS.seatsPurchased.name, labels, value: purchased },
    { name: METRICS.utilization.name, labels, value: purchased ? consumed / purchased : null },
    ...LABEL_VALUES.divergence.map((divergence) => ({
      name: METRICS.divergences.name,
      labels: { enterprise, divergence },
      value: report.divergences.filter((d) => d.kind === divergence).length,
    })),
    { name: METRICS.lastSuccess.name, labels, value: Math.floor(at.getTime() / 1000) },
  ];
}

/**
 * `RunMetrics` over the shared Redis hash. Each process records into prom-client metrics of its
 * own (prom-client places a duration in its histogram buckets), then adds what changed since its
 * last flush to the hash, so every worker's records add up there. Flushes run one after another:
 * two at once would both add the same change.
 *
 * @example
 *   const metrics = redisRunMetrics(store, logger);
 *   metrics.runFinished("command", "completed", 42.5);
 */
export function redisRunMetrics(store: RedisMetricStore, logger: Log): RunMetrics {
  const dropped = (error: unknown) => logger.warn({ err: String(error) }, "could not record metrics");
  const registry = new Registry();
  const metrics = registerDeploymentMetrics(registry);
  /** Per series, the value this process has added to the hash so far. */
  const flushed = new Map<string, number>();
  let flushing = Promise.resolve();
  const flush = () => {
    flushing = flushing
      .then(async () => {
        const updates: Array<{ name: string; labels: Labels; by: number }> = [];
        for (const metric of await registry.getMetricsAsJSON()) {
          // Gauges are set, not added up: `published` writes them.
          if (String(metric.type) === "gauge") continue;
          for (const sample of metric.values as Array<{ metricName?: string; labels: object; value: number }>) {
            const name = sample.metricName ?? metric.name;
            const labels = Object.fromEntries(Object.entries(sample.labels).map(([k, v]) => [k, String(v)]));
            const field = seriesField(name, labels);
            const by = sample.value - (flushed.get(field) ?? 0);
            if (by === 0) continue;
            // Counted as added even if Redis refuses it: a metric is dropped, never added twice.
            flushed.set(field, sample.value);
            updates.push({ name, labels, by });
          }
        }
        await store.increment(updates);
      })
      .catch(dropped);
  };
  return {
    runStarted(trigger) {
      metrics.runsStarted.inc({ trigger });
      flush();
    },
    runFinished(trigger, outcome, seconds) {
      (outcome === "completed" ? metrics.runsCompleted : metrics.runsFailed).inc({ trigger });
      metrics.runDuration.observe({ trigger, outcome }, Math.max(0, seconds));
      flush();
    },
    collected(side, accounts, requests) {
      metrics.accountsCollected.inc({ side }, accounts);
      metrics.apiRequests.inc({ side }, requests);
      flush();
    },
    failure(job, kind) {
      metrics.failures.inc({ job, kind: failureKindLabel(kind) });
      flush();
    },
    published(enterprise, report, at) {
      store.set(enterpriseGauges(enterprise, report, at)).catch(dropped);
    },
  };
}

/** Records nothing (CLI, unit tests). */
export const noRunMetrics: RunMetrics = {
  runStarted: () => undefined,
  runFinished: () => undefined,
  collected: () => undefined,
  failure: () => undefined,
  published: () => undefined,
};
