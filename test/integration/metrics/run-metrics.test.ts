import { randomBytes } from "node:crypto";
import { waitFor } from "../../support/wait.js";
import { RedisMetricStore, parseSeriesField, seriesField } from "../../../src/metrics/metric-store.js";
import { failureKindLabel, redisRunMetrics } from "../../../src/metrics/run-metrics.js";
import { createWebMetrics } from "../../../src/metrics/web-metrics.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";

const { redis, prefix } = testRedis("metrics");
afterAll(() => dropTestRedis(redis, prefix));
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
/** Recording is fire-and-forget: waits until the exposition shows `line`. */
const recorded = (text: () => Promise<string>, line: string) =>
  waitFor(`"${line}"`, async () => ((await text()).split("\n").includes(line) ? true : undefined), 10_000, 20);

let stores = 0;
function web(store = new RedisMetricStore(redis, `${prefix}:metrics-${++stores}`)) {
  const metrics = createWebMetrics({
    store,
    enterprise: "acme",
    jobCounts: async () => ({ waiting: 2, "not-a-state": 9 }),
    redisUp: async () => true,
    logger: quiet,
  });
  const text = async () => (await metrics.render()).body;
  return { store, metrics, text };
}
/** Sample lines (no comments) of metrics named `license_sync_` but not the Node.js runtime's. */
const samples = (text: string) =>
  text.split("\n").filter((line) => line.startsWith("license_sync_") && !line.startsWith("license_sync_web_"));
/** Series identities: name and labels, without values. */
const series = (text: string) => samples(text).map((line) => line.slice(0, line.lastIndexOf(" ")));

test("series fields round-trip with sorted labels", () => {
  expect(seriesField("x_total", { trigger: "command", a: "b" })).toBe("x_total|a=b|trigger=command");
  expect(parseSeriesField("x_total|a=b|trigger=command", "3")).toEqual({
    name: "x_total",
    labels: { a: "b", trigger: "command" },
    value: 3,
  });
});

test("every counter and histogram series exists at 0 before anything happened; seat gauges only after a published run", async () => {
  const text = await web().text();
  expect(samples(text)).toEqual(
    expect.arrayContaining([
      'license_sync_runs_failed_total{trigger="schedule"} 0',
      'license_sync_runs_completed_total{trigger="command"} 0',
      'license_sync_job_failures_total{job="collect-server",kind="network"} 0',
      'license_sync_job_failures_total{job="reconcile-publish",kind="input"} 0',
      'license_sync_run_duration_seconds_count{trigger="schedule",outcome="failed"} 0',
      'license_sync_run_duration_seconds_bucket{trigger="push",outcome="completed",le="+Inf"} 0',
      'license_sync_webhooks_total{event="issue_comment",status="500"} 0',
      'license_sync_last_success_timestamp_seconds{enterprise="acme"} 0',
      'license_sync_queue_jobs{state="waiting"} 2',
      'license_sync_queue_jobs{state="failed"} 0',
    ]),
  );
  expect(text).toContain("# TYPE license_sync_unique_users gauge");
  expect(
    samples(text).filter((line) => /^license_sync_(unique_users|seats_|seat_utilization|divergences)/.test(line)),
  ).toEqual([]);
  expect(text).not.toContain("not-a-state");
});

test("workers' records add up across processes and render through prom-client", async () => {
  const { store, text } = web();
  for (const metrics of [redisRunMetrics(store, quiet), redisRunMetrics(store, quiet)]) {
    metrics.runStarted("command");
    metrics.runFinished("command", "completed", 42);
    metrics.collected("server", 1000, 12);
    metrics.failure("collect-server", "network");
    metrics.failure("collect-cloud", "github_404");
  }
  await recorded(text, 'license_sync_job_failures_total{job="collect-cloud",kind="github_4xx"} 2');
  await recorded(text, 'license_sync_run_duration_seconds_count{trigger="command",outcome="completed"} 2');
  const lines = samples(await text());
  // Each series once: what workers stored replaces the zero, it does not sit beside it.
  expect(new Set(series(await text())).size).toBe(lines.length);
  expect(lines).toEqual(
    expect.arrayContaining([
      'license_sync_runs_started_total{trigger="command"} 2',
      'license_sync_accounts_collected_total{side="server"} 2000',
      'license_sync_job_failures_total{job="collect-server",kind="network"} 2',
      'license_sync_job_failures_total{job="collect-cloud",kind="github_4xx"} 2',
    ]),
  );
  expect(lines.filter((line) => line.includes('trigger="command",outcome="completed"'))).toEqual([
    ...["5", "15", "30"].map(
      (le) => `license_sync_run_duration_seconds_bucket{trigger="command",outcome="completed",le="${le}"} 0`,
    ),
    ...["60", "120", "300", "600", "1200", "1800", "3600", "7200", "+Inf"].map(
      (le) => `license_sync_run_duration_seconds_bucket{trigger="command",outcome="completed",le="${le}"} 2`,
    ),
    'license_sync_run_duration_seconds_sum{trigger="command",outcome="completed"} 84',
    'license_sync_run_duration_seconds_count{trigger="command",outcome="completed"} 2',
  ]);
});

test("records made at once, from one process, each add once", async () => {
  const { store, text } = web();
  const metrics = redisRunMetrics(store, quiet);
  for (let i = 0; i < 50; i++) {
    metrics.runStarted("schedule");
    metrics.collected("cloud", 3, 1);
  }
  await recorded(text, 'license_sync_runs_started_total{trigger="schedule"} 50');
  expect(samples(await text())).toEqual(
    expect.arrayContaining([
      'license_sync_accounts_collected_total{side="cloud"} 150',
      'license_sync_api_requests_total{side="cloud"} 50',
    ]),
  );
});

test("series in Redis outside the fixed table (a label value, a bucket, a metric) are not exposed", async () => {
  const { store, text } = web();
  const before = series(await text());
  await store.increment([
    { name: "license_sync_runs_started_total", labels: { trigger: "evil" }, by: 1 },
    { name: "license_sync_runs_started_total", labels: { trigger: "push", extra: "x" }, by: 1 },
    { name: "license_sync_job_failures_total", labels: { job: "unknown-job", kind: "input" }, by: 1 },
    {
      name: "license_sync_run_duration_seconds_bucket",
      labels: { trigger: "push", outcome: "failed", le: "42" },
      by: 1,
    },
    { name: "license_sync_unique_users", labels: { enterprise: "not-ours" }, by: 1 },
    { name: "license_sync_something_else", by: 1 },
  ]);
  await store.increment([{ name: "license_sync_runs_started_total", labels: { trigger: "push" }, by: 1 }]);
  const after = await text();
  expect(series(after)).toEqual(before);
  expect(samples(after)).toContain('license_sync_runs_started_total{trigger="push"} 1');
  expect(after).not.toMatch(/evil|unknown-job|not-ours|something_else|le="42"/);
});

test("junk another process wrote into the hash (values that are not numbers, odd field names) neither breaks /metrics nor adds series, and a record it refuses is logged", async () => {
  const { store, text } = web();
  const key = `${prefix}:metrics-${stores}`;
  const before = series(await text());
  await redis.hset(key, {
    "license_sync_runs_started_total|trigger=command": "not a number",
    "license_sync_runs_completed_total|trigger=push": "",
    "license_sync_run_duration_seconds_sum|outcome=failed|trigger=push": "NaN",
    __proto__: "1",
    constructor: "x",
    "": "1",
    "|=|==": "1",
    "license_sync_runs_failed_total|trigger": "1",
  });
  await store.increment([{ name: "license_sync_runs_started_total", labels: { trigger: "push" }, by: 1 }]);
  const after = await text();
  // A value that is no number is no sample: left out, never rendered as NaN nor reset to 0.
  expect(samples(after).join("\n")).not.toMatch(/nan/i);
  expect(samples(after)).toContain('license_sync_runs_started_total{trigger="push"} 1');
  const junk = [
    'license_sync_runs_started_total{trigger="command"}',
    'license_sync_runs_completed_total{trigger="push"}',
    'license_sync_run_duration_seconds_sum{trigger="push",outcome="failed"}',
  ];
  expect(series(after)).toEqual(before.filter((line) => !junk.includes(line)));
  const warnings: unknown[] = [];
  const logger = { ...quiet, warn: (...args: unknown[]) => void warnings.push(args) };
  redisRunMetrics(store, logger).runStarted("command");
  await waitFor("the refused increment logged", async () => (warnings.length > 0 ? true : undefined), 10_000, 20);
  expect(JSON.stringify(warnings)).not.toContain("not a number");
});

test("a published run sets the enterprise's gauges; the next run replaces them, kinds it no longer finds at 0", async () => {
  const { store, text } = web();
  const metrics = redisRunMetrics(store, quiet);
  const totals = {
    seatsPurchased: 1000,
    seatsConsumedReported: 990,
    cloudUsers: 900,
    serverOnlyUsers: 105,
    uniqueUsers: 1005,
    matchedBy: {} as never,
    replacedCloudRows: 0,
  };
  const divergence = (kind: string) => ({ kind, severity: "warning", summary: "", figures: {} }) as never;
  metrics.published(
    "acme",
    { totals, divergences: [divergence("over-consumed"), divergence("stale-sync"), divergence("stale-sync")] },
    new Date("2026-11-30T08:00:00Z"),
  );
  await recorded(text, 'license_sync_unique_users{enterprise="acme"} 1005');
  expect(samples(await text())).toEqual(
    expect.arrayContaining([
      'license_sync_unique_users{enterprise="acme"} 1005',
      'license_sync_seats_consumed{enterprise="acme"} 990',
      'license_sync_seats_purchased{enterprise="acme"} 1000',
      'license_sync_seat_utilization_ratio{enterprise="acme"} 1.005',
      'license_sync_divergences{enterprise="acme",divergence="over-consumed"} 1',
      'license_sync_divergences{enterprise="acme",divergence="stale-sync"} 2',
      'license_sync_divergences{enterprise="acme",divergence="license-expiring"} 0',
      `license_sync_last_success_timestamp_seconds{enterprise="acme"} ${Date.parse("2026-11-30T08:00:00Z") / 1000}`,
    ]),
  );

  metrics.published(
    "acme",
    { totals: { ...totals, seatsPurchased: null }, divergences: [] },
    new Date("2026-12-07T08:00:00Z"),
  );
  await recorded(text, 'license_sync_divergences{enterprise="acme",divergence="stale-sync"} 0');
  const lines = samples(await text());
  expect(lines).toContain('license_sync_divergences{enterprise="acme",divergence="stale-sync"} 0');
  expect(lines.filter((line) => /seats_purchased|utilization/.test(line))).toEqual([]);
});

test("unauthenticated X-GitHub-Event values add no series: 3,000 random events are counted as `other`", async () => {
  const { metrics, text } = web();
  const before = await text();
  for (let i = 0; i < 3000; i++) metrics.countWebhook(randomBytes(8).toString("hex"), i % 2 ? 400 : 999);
  metrics.countWebhook("issue_comment", 200);
  const after = await text();
  expect(series(after)).toEqual(series(before));
  expect(samples(after)).toEqual(
    expect.arrayContaining([
      'license_sync_webhooks_total{event="other",status="400"} 1500',
      'license_sync_webhooks_total{event="other",status="other"} 1500',
      'license_sync_webhooks_total{event="issue_comment",status="200"} 1',
    ]),
  );
  // Only the counts' digits grow (the Node.js runtime's own samples vary between scrapes).
  expect(samples(after).join("\n").length).toBeLessThan(samples(before).join("\n").length + 50);
});

test("failure kinds map onto the fixed set", () => {
  expect(
    ["input", "github_404", "github_502", "rate_limited", "github_99", "something-new"].map(failureKindLabel),
  ).toEqual(["input", "github_4xx", "github_5xx", "rate_limited", "internal", "internal"]);
});
