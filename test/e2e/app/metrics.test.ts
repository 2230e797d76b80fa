import { deploymentConfigSchema } from "../../../src/config/deployment.js";
import { createRootLogger } from "../../../src/runtime/logger.js";
import { startWebProcess } from "../../../src/runtime/web-process.js";
import { throwawayAppIdentity } from "../../support/app-key.js";
import { APP_ID } from "../../sim/app-fixture.js";
import { OWNER, startHarness, waitFor } from "./harness.js";
import { httpRequest } from "./http.js";

const sample = (text: string, series: string) =>
  text
    .split("\n")
    .find((line) => line.startsWith(`${series} `))
    ?.slice(series.length + 1);

test("after a run, /metrics shows the enterprise's seats from it, the time it published and its duration; failures stay at 0", async () => {
  const h = await startHarness("metrics", { workers: 1 });
  try {
    const before = (await httpRequest(`${h.web.url}/metrics`)).body;
    expect(sample(before, `license_sync_runs_failed_total{trigger="command"}`)).toBe("0");
    expect(sample(before, `license_sync_last_success_timestamp_seconds{enterprise="${OWNER}"}`)).toBe("0");
    expect(sample(before, `license_sync_unique_users{enterprise="${OWNER}"}`)).toBeUndefined();

    await h.comment("/license-sync now");
    const run = await waitFor("the run to finish", async () => {
      const [latest] = await h.web.queue.recentRuns(OWNER, 1);
      return latest?.state === "completed" || latest?.state === "failed" ? latest : undefined;
    });
    expect(run.state).toBe("completed");
    const text = await waitFor(
      "the gauges",
      async () => {
        const body = (await httpRequest(`${h.web.url}/metrics`)).body;
        return sample(body, `license_sync_unique_users{enterprise="${OWNER}"}`) ? body : undefined;
      },
      10_000,
    );
    expect(Number(sample(text, `license_sync_unique_users{enterprise="${OWNER}"}`))).toBe(run.uniqueUsers);
    expect(Number(sample(text, `license_sync_seats_consumed{enterprise="${OWNER}"}`))).toBeGreaterThan(0);
    expect(Number(sample(text, `license_sync_last_success_timestamp_seconds{enterprise="${OWNER}"}`))).toBeGreaterThan(
      Date.now() / 1000 - 3600,
    );
    expect(sample(text, `license_sync_divergences{enterprise="${OWNER}",divergence="over-consumed"}`)).toMatch(/^\d+$/);
    expect(sample(text, `license_sync_runs_completed_total{trigger="command"}`)).toBe("1");
    expect(sample(text, `license_sync_run_duration_seconds_count{trigger="command",outcome="completed"}`)).toBe("1");
    expect(sample(text, `license_sync_runs_failed_total{trigger="command"}`)).toBe("0");
  } finally {
    await h.close();
  }
});

test("METRICS_PORT serves /metrics on its own port only; METRICS_TOKEN requires it as a bearer token", async () => {
  const { privateKey, webhookSecret } = throwawayAppIdentity();
  const deployment = deploymentConfigSchema.parse({
    enterprise: OWNER,
    cloud: { token: "t" },
    adminRepository: `${OWNER}/license-admin`,
  });
  const web = await startWebProcess({
    settings: {
      appId: APP_ID,
      privateKey,
      webhookSecret,
      redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      queuePrefix: `ls-test-metrics-port-${process.pid}`,
      port: 0,
      appApiUrl: "http://127.0.0.1:1",
      secret: "s",
      metricsPort: 0,
      metricsToken: "scrape-token",
    },
    deployment,
    logger: await createRootLogger({ level: "silent" }),
    host: "127.0.0.1",
  });
  try {
    expect(web.metricsUrl).not.toBe(web.url);
    expect((await httpRequest(`${web.url}/metrics`)).status).toBe(404);
    expect((await httpRequest(`${web.url}/healthz`)).status).toBe(200);
    const refused = await httpRequest(`${web.metricsUrl}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(
      (await httpRequest(`${web.metricsUrl}/metrics`, { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401);
    const scraped = await httpRequest(`${web.metricsUrl}/metrics`, {
      headers: { authorization: "Bearer scrape-token" },
    });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain("license_sync_redis_up 1");
    expect((await httpRequest(`${web.metricsUrl}/api/github/webhooks`, { method: "POST", body: "{}" })).status).toBe(
      404,
    );
  } finally {
    await web.close();
  }
});
