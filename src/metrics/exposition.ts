import { METRICS, type StoredMetricDefinition } from "./definitions.js";
import type { StoredSeries } from "./metric-store.js";

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function line(name: string, labels: Record<string, string>, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${pairs.length ? `{${pairs.join(",")}}` : ""} ${value}`;
}

/** Histogram series in Prometheus order: buckets by bound, then sum and count. */
function order(a: StoredSeries, b: StoredSeries): number {
  const rank = (s: StoredSeries) => (s.name.endsWith("_bucket") ? 0 : s.name.endsWith("_sum") ? 1 : 2);
  const le = (s: StoredSeries) => (s.labels.le === "+Inf" ? Infinity : Number(s.labels.le ?? 0));
  const key = (s: StoredSeries) => JSON.stringify(Object.entries(s.labels).filter(([k]) => k !== "le").sort());
  return key(a).localeCompare(key(b)) || rank(a) - rank(b) || le(a) - le(b);
}

/**
 * Prometheus text for the metrics workers keep in Redis. Every defined metric gets its HELP and
 * TYPE lines even before its first sample, so dashboards and alerts see it from the start.
 *
 * @example renderStoredMetrics(await store.snapshot())
 */
export function renderStoredMetrics(series: StoredSeries[], definitions: readonly StoredMetricDefinition[] = Object.values(METRICS)): string {
  const blocks: string[] = [];
  for (const metric of definitions) {
    const own = series.filter((s) => (metric.type === "histogram" ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`].includes(s.name) : s.name === metric.name));
    const lines = [`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`];
    for (const s of [...own].sort(order)) lines.push(line(s.name, s.labels, s.value));
    blocks.push(lines.join("\n"));
  }
  return `${blocks.join("\n\n")}\n`;
}
