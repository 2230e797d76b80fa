import type { Log, Report, RunTrigger } from "../shared/index.js";
import { Registry } from "prom-client";
import { LABEL_VALUES, METRICS, registerDeploymentMetrics, type DeploymentMetrics } from "./definitions.js";
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
 * `RunMetrics` over the shared Redis hash. Each record is made on fresh prom-client metrics
 * (prom-client places a duration in its histogram buckets), whose samples are then added to the
 * hash: every worker's records add up there, and no state is kept between records.
 *
 * @example
 *   const metrics = redisRunMetrics(store, logger);
 *   metrics.runFinished("command", "completed", 42.5);
 */
export function redisRunMetrics(store: RedisMetricStore, logger: Log): RunMetrics {
  const dropped = (error: unknown) => logger.warn({ err: String(error) }, "could not record metrics");
  const record = (apply: (metrics: DeploymentMetrics) => void) => {
    const registry = new Registry();
    apply(registerDeploymentMetrics(registry));
    registry
      .getMetricsAsJSON()
      .then((recorded) =>
        store.increment(
          recorded.flatMap((metric) =>
            (metric.values as Array<{ metricName?: string; labels: object; value: number }>)
              .filter((sample) => sample.value !== 0)
              .map((sample) => ({
                name: sample.metricName ?? metric.name,
                labels: Object.fromEntries(Object.entries(sample.labels).map(([k, v]) => [k, String(v)])),
                by: sample.value,
              })),
          ),
        ),
      )
      .catch(dropped);
  };
  return {
    runStarted: (trigger) => record((metrics) => metrics.runsStarted.inc({ trigger })),
    runFinished: (trigger, outcome, seconds) =>
      record((metrics) => {
        (outcome === "completed" ? metrics.runsCompleted : metrics.runsFailed).inc({ trigger });
        metrics.runDuration.observe({ trigger, outcome }, Math.max(0, seconds));
      }),
    collected: (side, accounts, requests) =>
      record((metrics) => {
        metrics.accountsCollected.inc({ side }, accounts);
        metrics.apiRequests.inc({ side }, requests);
      }),
    failure: (job, kind) => record((metrics) => metrics.failures.inc({ job, kind: failureKindLabel(kind) })),
    // Gauges are set, not added up: the last published run's figures replace the previous ones.
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
