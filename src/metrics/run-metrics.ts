import type { Log } from "../github/logger.js";
import type { Report } from "../shared/report.js";
import type { RunTrigger } from "../publish/types.js";
import { LABEL_VALUES, METRICS, RUN_DURATION_BUCKETS } from "./definitions.js";
import type { Labels, RedisMetricStore } from "./metric-store.js";

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
 * `RunMetrics` over the shared Redis hash.
 *
 * @example
 *   const metrics = redisRunMetrics(store, logger);
 *   metrics.runFinished("command", "completed", 42.5);
 */
export function redisRunMetrics(store: RedisMetricStore, logger: Log): RunMetrics {
  const dropped = (error: unknown) => logger.warn({ err: String(error) }, "could not record metrics");
  const record = (updates: Array<{ name: string; labels?: Labels; by: number }>) => {
    store.increment(updates).catch(dropped);
  };
  return {
    runStarted: (trigger) => record([{ name: METRICS.runsStarted.name, labels: { trigger }, by: 1 }]),
    runFinished(trigger, outcome, seconds) {
      const name = METRICS.runDuration.name;
      const labels = { trigger, outcome };
      // Cumulative buckets, as Prometheus exposes them: every bound at or above the value.
      const buckets = [...RUN_DURATION_BUCKETS.filter((le) => seconds <= le).map(String), "+Inf"];
      record([
        {
          name: outcome === "completed" ? METRICS.runsCompleted.name : METRICS.runsFailed.name,
          labels: { trigger },
          by: 1,
        },
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
    failure: (job, kind) =>
      record([{ name: METRICS.failures.name, labels: { job, kind: failureKindLabel(kind) }, by: 1 }]),
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
