import { renderStoredMetrics } from "../../../src/metrics/exposition.js";
import { RedisMetricStore, parseSeriesField, seriesField } from "../../../src/metrics/metric-store.js";
import { redisRunMetrics } from "../../../src/metrics/run-metrics.js";
import { dropTestRedis, testRedis } from "./redis.js";

const { redis, prefix } = testRedis("metrics");
afterAll(() => dropTestRedis(redis, prefix));
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

test("series fields round-trip with sorted labels", () => {
  expect(seriesField("x_total", { trigger: "command", a: "b" })).toBe("x_total|a=b|trigger=command");
  expect(parseSeriesField("x_total|a=b|trigger=command", "3")).toEqual({ name: "x_total", labels: { a: "b", trigger: "command" }, value: 3 });
});

test("workers' records add up across processes and render as Prometheus text", async () => {
  const store = new RedisMetricStore(redis, `${prefix}:metrics`);
  // Two "processes" recording into the same hash.
  for (const metrics of [redisRunMetrics(store, quiet), redisRunMetrics(store, quiet)]) {
    metrics.runStarted("command");
    metrics.runFinished("command", "completed", 42);
    metrics.collected("server", 1000, 12);
    metrics.failure("collect-server", "network");
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // recording is fire-and-forget
  const text = renderStoredMetrics(await store.snapshot());
  expect(text).toContain("# TYPE license_sync_runs_started_total counter\nlicense_sync_runs_started_total{trigger=\"command\"} 2");
  expect(text).toContain('license_sync_accounts_collected_total{side="server"} 2000');
  expect(text).toContain('license_sync_job_failures_total{job="collect-server",kind="network"} 2');
  expect(text).toContain("# HELP license_sync_runs_failed_total");
  const histogram = text.split("\n").filter((line) => line.startsWith("license_sync_run_duration_seconds"));
  expect(histogram).toEqual([
    'license_sync_run_duration_seconds_bucket{le="60",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="120",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="300",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="600",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="1200",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="1800",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="3600",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="7200",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_bucket{le="+Inf",outcome="completed",trigger="command"} 2',
    'license_sync_run_duration_seconds_sum{outcome="completed",trigger="command"} 84',
    'license_sync_run_duration_seconds_count{outcome="completed",trigger="command"} 2',
  ]);
});
