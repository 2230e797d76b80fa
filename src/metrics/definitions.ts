import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { DIVERGENCE_KINDS } from "../reconcile/index.js";
import type { Labels } from "./metric-store.js";

/** Upper bounds (seconds) of the run duration histogram: a small enterprise takes seconds, a large one an hour. */
export const RUN_DURATION_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

/**
 * Every value a label may take. Series exist only for these (an unknown value is counted as
 * `other`, or not at all), so no request, header or error can add series: the number of series
 * is fixed by this table and the configured enterprise.
 */
export const LABEL_VALUES = {
  /** Triggers of runs that go through the queue (the CLI records no metrics). */
  trigger: ["schedule", "command", "push"],
  outcome: ["completed", "failed"],
  side: ["server", "cloud"],
  job: ["start-run", "collect-server", "collect-cloud", "collect-identities", "reconcile-publish"],
  /** jobs/failure.ts `failureKind`, GitHub statuses grouped by class. */
  kind: ["input", "rate_limited", "github_4xx", "github_5xx", "network", "redis", "data", "internal"],
  divergence: DIVERGENCE_KINDS as readonly string[],
  /** Webhook events the App subscribes to or GitHub sends it unasked; anything else is `other`. */
  event: ["issue_comment", "push", "installation", "installation_repositories", "ping", "other"],
  /** Statuses the webhook path answers; anything else is `other`. */
  status: ["200", "202", "400", "401", "404", "413", "500", "503", "other"],
  /** BullMQ job states of queue `license-sync`. */
  state: ["active", "completed", "delayed", "failed", "paused", "prioritized", "waiting", "waiting-children"],
} as const;

/** `value` when it is one of `known`, `other` otherwise. */
export function knownOr(known: readonly string[], value: string): string {
  return known.includes(value) ? value : "other";
}

/** A metric workers record in Redis and `/metrics` exposes. */
export interface StoredMetricDefinition {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  /** Label names, each with its values in LABEL_VALUES (`enterprise`: the configured one). */
  labels: ReadonlyArray<keyof typeof LABEL_VALUES | "enterprise">;
  /** Series exist from the start, at 0 (counters, histograms, the last-success time). */
  zero: boolean;
}

/**
 * Deployment-wide metrics: recorded by workers into one Redis hash, served by every web process
 * alike (see docs/operations.md, Metrics: never sum them across replicas).
 */
export const METRICS = {
  runsStarted: {
    name: "license_sync_runs_started_total",
    help: "Runs whose flow was added, by trigger.",
    type: "counter",
    labels: ["trigger"],
    zero: true,
  },
  runsCompleted: {
    name: "license_sync_runs_completed_total",
    help: "Runs that published (or planned, in a dry run), by trigger.",
    type: "counter",
    labels: ["trigger"],
    zero: true,
  },
  runsFailed: {
    name: "license_sync_runs_failed_total",
    help: "Runs that failed for good, by trigger.",
    type: "counter",
    labels: ["trigger"],
    zero: true,
  },
  runDuration: {
    name: "license_sync_run_duration_seconds",
    help: "Time from a run's flow being added to its end, by trigger and outcome.",
    type: "histogram",
    labels: ["trigger", "outcome"],
    zero: true,
  },
  accountsCollected: {
    name: "license_sync_accounts_collected_total",
    help: "GHES accounts and GHEC license rows read, by side.",
    type: "counter",
    labels: ["side"],
    zero: true,
  },
  apiRequests: {
    name: "license_sync_api_requests_total",
    help: "HTTP attempts collectors made to GitHub, by side.",
    type: "counter",
    labels: ["side"],
    zero: true,
  },
  failures: {
    name: "license_sync_job_failures_total",
    help: "Failed job attempts, by job and kind of failure.",
    type: "counter",
    labels: ["job", "kind"],
    zero: true,
  },
  uniqueUsers: {
    name: "license_sync_unique_users",
    help: "Unique users (seats by GitHub's rule) counted by the enterprise's last published run.",
    type: "gauge",
    labels: ["enterprise"],
    zero: false,
  },
  seatsConsumed: {
    name: "license_sync_seats_consumed",
    help: "Seats consumed as GitHub reported them at the enterprise's last published run.",
    type: "gauge",
    labels: ["enterprise"],
    zero: false,
  },
  seatsPurchased: {
    name: "license_sync_seats_purchased",
    help: "Seats purchased at the enterprise's last published run (absent when GitHub did not say).",
    type: "gauge",
    labels: ["enterprise"],
    zero: false,
  },
  utilization: {
    name: "license_sync_seat_utilization_ratio",
    help: "max(consumed, unique users) / purchased at the last published run; above 1 is over-consumed.",
    type: "gauge",
    labels: ["enterprise"],
    zero: false,
  },
  divergences: {
    name: "license_sync_divergences",
    help: "Divergences found by the enterprise's last published run (each has an open issue), by kind.",
    type: "gauge",
    labels: ["enterprise", "divergence"],
    zero: false,
  },
  lastSuccess: {
    name: "license_sync_last_success_timestamp_seconds",
    help: "Unix time the enterprise's last run published; 0 until one has.",
    type: "gauge",
    labels: ["enterprise"],
    zero: true,
  },
} as const satisfies Record<string, StoredMetricDefinition>;

/** Every combination of the definition's label values, e.g. `[{ trigger: "schedule" }, ...]`. */
export function labelSets(definition: StoredMetricDefinition, enterprise: string): Labels[] {
  let sets: Labels[] = [{}];
  for (const label of definition.labels) {
    const values: readonly string[] = label === "enterprise" ? [enterprise] : LABEL_VALUES[label];
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [label]: value })));
  }
  return sets;
}

/** The prom-client metric of each definition, by the definition's key in METRICS. */
export type DeploymentMetrics = {
  [K in keyof typeof METRICS]: (typeof METRICS)[K]["type"] extends "counter"
    ? Counter<string>
    : (typeof METRICS)[K]["type"] extends "histogram"
      ? Histogram<string>
      : Gauge<string>;
};

/**
 * The deployment-wide metrics as prom-client metrics in `registry`. With `enterprise`, every
 * series of the table is there, at 0: the label sets come from LABEL_VALUES only.
 *
 * @example const metrics = registerDeploymentMetrics(new Registry()); metrics.runsStarted.inc({ trigger: "push" });
 */
export function registerDeploymentMetrics(registry: Registry, enterprise?: string): DeploymentMetrics {
  const create = (definition: StoredMetricDefinition) => {
    const configuration = {
      name: definition.name,
      help: definition.help,
      labelNames: definition.labels,
      registers: [registry],
    };
    const metric =
      definition.type === "counter"
        ? new Counter(configuration)
        : definition.type === "gauge"
          ? new Gauge(configuration)
          : new Histogram({ ...configuration, buckets: RUN_DURATION_BUCKETS });
    if (enterprise !== undefined)
      for (const labels of labelSets(definition, enterprise))
        if (metric instanceof Histogram) metric.zero(labels);
        else if (metric instanceof Counter) metric.inc(labels, 0);
        else metric.set(labels, 0);
    return metric;
  };
  return Object.fromEntries(
    Object.entries(METRICS).map(([key, definition]) => [key, create(definition)]),
  ) as DeploymentMetrics;
}
