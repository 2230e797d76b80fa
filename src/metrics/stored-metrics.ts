import type { Metric, Registry } from "prom-client";
import { LABEL_VALUES, METRICS, RUN_DURATION_BUCKETS, type StoredMetricDefinition } from "./definitions.js";
import { seriesField, type Labels, type StoredSeries } from "./metric-store.js";

/** One sample as prom-client's registry renders it. */
interface Sample {
  metricName?: string;
  labels: Labels;
  value: number;
}

/** Every combination of the definition's label values, e.g. `[{ trigger: "schedule" }, ...]`. */
function labelSets(definition: StoredMetricDefinition, enterprise: string): Labels[] {
  let sets: Labels[] = [{}];
  for (const label of definition.labels) {
    const values: readonly string[] = label === "enterprise" ? [enterprise] : LABEL_VALUES[label];
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [label]: value })));
  }
  return sets;
}

/** The samples of one metric: known label sets only, 0 where the definition starts at zero. */
function samples(definition: StoredMetricDefinition, stored: Map<string, number>, enterprise: string): Sample[] {
  const out: Sample[] = [];
  const read = (name: string, labels: Labels) =>
    stored.get(seriesField(name, labels)) ?? (definition.zero ? 0 : undefined);
  const push = (metricName: string, labels: Labels) => {
    const value = read(metricName, labels);
    if (value !== undefined) out.push({ metricName, labels, value });
  };
  for (const labels of labelSets(definition, enterprise)) {
    if (definition.type !== "histogram") {
      push(definition.name, labels);
      continue;
    }
    for (const le of [...RUN_DURATION_BUCKETS.map(String), "+Inf"])
      push(`${definition.name}_bucket`, { ...labels, le });
    push(`${definition.name}_sum`, labels);
    push(`${definition.name}_count`, labels);
  }
  return out;
}

/**
 * Registers the deployment-wide metrics workers keep in Redis with a prom-client registry, so
 * `/metrics` is one exposition rendered by prom-client. `snapshot` is what the current scrape
 * read from Redis, or undefined when it could not: then only HELP and TYPE are shown (a
 * counter must not drop to 0 because Redis did not answer).
 *
 * @example registerStoredMetrics(registry, { enterprise: "acme", snapshot: () => lastSnapshot });
 */
export function registerStoredMetrics(
  registry: Registry,
  options: { enterprise: string; snapshot: () => StoredSeries[] | undefined },
): void {
  for (const definition of Object.values(METRICS) as StoredMetricDefinition[]) {
    const metric = {
      name: definition.name,
      help: definition.help,
      type: definition.type,
      aggregator: definition.type === "gauge" ? "max" : "sum",
      get() {
        const series = options.snapshot();
        const stored = new Map((series ?? []).map((s) => [seriesField(s.name, s.labels), s.value]));
        return {
          name: definition.name,
          help: definition.help,
          type: definition.type,
          aggregator: metric.aggregator,
          values: series ? samples(definition, stored, options.enterprise) : [],
        };
      },
      reset: () => undefined,
    };
    // prom-client renders any object with `get()`; its types list only its own classes.
    registry.registerMetric(metric as unknown as Metric);
  }
}
