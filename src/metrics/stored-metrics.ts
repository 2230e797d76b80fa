import { AggregatorRegistry, Registry } from "prom-client";
import { METRICS, registerDeploymentMetrics, type StoredMetricDefinition } from "./definitions.js";
import { seriesField, type Labels, type StoredSeries } from "./metric-store.js";

/**
 * The deployment-wide metrics of one scrape as a prom-client registry. prom-client lists every
 * fixed series (label sets from the table; a histogram's buckets, sum and count); each takes
 * the value workers stored in Redis, 0 when none is stored and the definition starts at zero,
 * or is left out (seat gauges before a published run). Stored series outside the table are
 * never read, so nothing in Redis adds a series; a stored value that is not a number is left out. With `stored` undefined (Redis did not answer
 * this scrape), only HELP and TYPE: a counter must not drop to 0 because Redis did not answer.
 * `AggregatorRegistry.aggregate` is prom-client's way to build a registry from such samples.
 *
 * @example const registry = await storedMetricsRegistry("acme", await store.snapshot());
 */
export async function storedMetricsRegistry(enterprise: string, stored: StoredSeries[] | undefined): Promise<Registry> {
  const every = new Registry();
  registerDeploymentMetrics(every, enterprise);
  const definitions = new Map<string, StoredMetricDefinition>(
    Object.values(METRICS).map((definition) => [definition.name, definition]),
  );
  const values = new Map((stored ?? []).map((series) => [seriesField(series.name, series.labels), series.value]));
  const metrics = (await every.getMetricsAsJSON()).map((metric) => ({
    ...metric,
    values: metric.values.flatMap((sample: { metricName?: string; labels: object }) => {
      if (!stored) return [];
      // `le` last, as the exposition has always shown it.
      const { le, ...rest } = sample.labels as Labels;
      const labels = le === undefined ? rest : { ...rest, le: String(le) };
      const value = values.get(seriesField(sample.metricName ?? metric.name, labels));
      // Junk another process wrote (not a number) is no sample: left out, not NaN, not a counter reset to 0.
      if (value !== undefined && !Number.isFinite(value)) return [];
      if (value === undefined && !definitions.get(metric.name)!.zero) return [];
      return [{ ...sample, labels, value: value ?? 0 }];
    }),
  }));
  return AggregatorRegistry.aggregate([metrics]);
}
