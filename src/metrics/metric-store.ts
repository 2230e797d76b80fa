import type { Redis } from "ioredis";

/** Labels of one series, e.g. `{ trigger: "command" }`. */
export type Labels = Record<string, string>;

/** One stored series: metric name, labels, value. */
export interface StoredSeries {
  name: string;
  labels: Labels;
  value: number;
}

/** `runs_started|trigger=command`: a hash field per series; label values never contain `|` or `=`. */
export function seriesField(name: string, labels: Labels = {}): string {
  const clean = (value: string) => value.replace(/[|=\n]/g, "_");
  return [
    name,
    ...Object.keys(labels)
      .sort()
      .map((k) => `${k}=${clean(labels[k] ?? "")}`),
  ].join("|");
}

export function parseSeriesField(field: string, value: string): StoredSeries {
  const [name = "", ...pairs] = field.split("|");
  const labels: Labels = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  // Number("") is 0: an empty value is junk, not a zero.
  return { name, labels, value: value.trim() === "" ? Number.NaN : Number(value) };
}

/**
 * A MULTI answers each command's error in its results instead of rejecting (HINCRBY on a field
 * another process left holding junk): thrown, so the caller logs it rather than losing it unseen.
 * Redis's words name the command and the kind of value, never the value.
 */
function throwFirstError(results: Array<[Error | null, unknown]> | null): void {
  const failed = results?.find(([error]) => error !== null);
  if (failed) throw failed[0];
}

/**
 * Metrics shared by every process, in one Redis hash. Workers increment and set; the web process's
 * `/metrics` reads them, so the numbers are the deployment's, whichever worker ran the job.
 *
 * Why Redis, beside prom-client's registries: a run's metrics are recorded by whichever worker
 * (on whichever machine) ran the job and must be served alike by every web replica, survive
 * worker restarts, and for the seat gauges hold the last published run's figures.
 * prom-client's own aggregation (`AggregatorRegistry`) gathers the workers of one Node.js
 * cluster over IPC, not processes on several machines, and none of its aggregators means
 * "latest". So this hash only carries samples: workers compute them with prom-client metrics,
 * the web process feeds them back into prom-client (see stored-metrics.ts), which renders them.
 *
 * @example
 *   const store = new RedisMetricStore(redis, "license-sync:license-sync:ls:metrics");
 *   await store.increment([{ name: "runs_started", labels: { trigger: "command" }, by: 1 }]);
 */
export class RedisMetricStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async increment(updates: Array<{ name: string; labels?: Labels; by: number }>): Promise<void> {
    if (updates.length === 0) return;
    const multi = this.redis.multi();
    for (const update of updates) {
      const field = seriesField(update.name, update.labels);
      if (Number.isInteger(update.by)) multi.hincrby(this.key, field, update.by);
      else multi.hincrbyfloat(this.key, field, update.by);
    }
    throwFirstError(await multi.exec());
  }

  /**
   * Sets gauges in one transaction, so a scrape sees a run's values all old or all new; a
   * `null` value removes the series (a figure GitHub did not give this time).
   */
  async set(values: Array<{ name: string; labels?: Labels; value: number | null }>): Promise<void> {
    if (values.length === 0) return;
    const multi = this.redis.multi();
    for (const { name, labels, value } of values) {
      const field = seriesField(name, labels);
      if (value === null) multi.hdel(this.key, field);
      else multi.hset(this.key, field, String(value));
    }
    throwFirstError(await multi.exec());
  }

  async snapshot(): Promise<StoredSeries[]> {
    const hash = await this.redis.hgetall(this.key);
    return Object.entries(hash).map(([field, value]) => parseSeriesField(field, value));
  }
}
