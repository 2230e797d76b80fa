import { installationDelivery } from "../../support/webhooks.js";
import { deploymentConfigSchema } from "../../../src/config/deployment.js";
import { QueueUnavailableError } from "../../../src/jobs/queue/unavailable.js";
import { createRootLogger } from "../../../src/runtime/logger.js";
import { startWebProcess } from "../../../src/runtime/web-process.js";
import { throwawayAppIdentity } from "../../support/app-key.js";
import { APP_ID } from "../../sim/app-fixture.js";
import { INSTALLATION_ID, OWNER, startHarness, waitFor, type Harness } from "./harness.js";
import { isListening } from "../../support/global-setup.js";
import { httpRequest } from "./http.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";

const status = async (url: string) => (await httpRequest(url)).status;

describe("Redis goes away under a running web process", () => {
  let proxy: TcpProxy;
  let h: Harness;
  beforeAll(async () => {
    const target = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    h = await startHarness("down", { redisUrl: proxy.url, workers: 0 });
  });
  afterAll(async () => {
    await proxy?.start();
    await h?.close();
    await proxy?.close();
  });

  test("readiness follows Redis; webhooks answer 503 while it is away and 200 once it is back", async () => {
    await waitFor("readiness", async () => ((await status(`${h.web.url}/readyz`)) === 200 ? true : undefined));
    expect((await h.deliver(installationDelivery("created", INSTALLATION_ID, OWNER, APP_ID))).status).toBe(200);

    await proxy.stop();
    await waitFor(
      "readiness to drop",
      async () => ((await status(`${h.web.url}/readyz`)) === 503 ? true : undefined),
      10_000,
    );
    expect(await status(`${h.web.url}/healthz`)).toBe(200);
    const refused = await h.comment("/license-sync now");
    expect(refused.answer.status).toBe(503);
    expect(JSON.parse(refused.answer.body)).toEqual({ error: expect.stringMatching(/unavailable/) });
    // Refused up front, before the body is read or Redis is waited for (the answer of the
    // connection check, not of the queue call's 5 s timeout, which says "no answer within").
    expect(JSON.parse(refused.answer.body)).toEqual({
      error: "Service unavailable: the run queue cannot be reached. Redeliver later.",
    });
    // The queue itself fails fast too, with an error the webhook middleware turns into a 503.
    await expect(h.web.queue.enqueueRun({ enterprise: OWNER, trigger: "command" })).rejects.toMatchObject({
      name: "QueueUnavailableError",
      status: 503,
    });
    await expect(h.web.queue.recentRuns(OWNER, 1)).rejects.toBeInstanceOf(QueueUnavailableError);
    const metrics = (await httpRequest(`${h.web.url}/metrics`)).body;
    expect(metrics).toMatch(/license_sync_redis_up 0/);
    expect(metrics).toMatch(/license_sync_webhooks_total\{event="issue_comment",status="503"\} 1/);

    await proxy.start();
    await waitFor(
      "readiness to return",
      async () => ((await status(`${h.web.url}/readyz`)) === 200 ? true : undefined),
      15_000,
    );
    const accepted = await h.comment("/license-sync now");
    expect(accepted.answer.status).toBe(200);
    expect((await h.inspect.getJobs(["waiting"])).map((j) => j.name)).toEqual(["start-run"]);
  });
});

test("a web process started without Redis serves /healthz, refuses webhooks with 503 and closes cleanly", async () => {
  const { privateKey, webhookSecret } = throwawayAppIdentity();
  const deployment = deploymentConfigSchema.parse({
    enterprise: OWNER,
    cloud: { token: "t" },
    adminRepository: `${OWNER}/license-admin`,
  });
  // Warnings and errors kept: a shutdown step that fails or hangs logs "shutdown step failed".
  const lines: string[] = [];
  const logger = await createRootLogger({
    level: "warn",
    format: "json",
    destination: { write: (line: string) => void lines.push(line) },
  });
  const web = await startWebProcess({
    settings: {
      appId: APP_ID,
      privateKey,
      webhookSecret,
      redisUrl: "redis://127.0.0.1:1",
      queuePrefix: "ls-test-nowhere",
      port: 0,
      appApiUrl: "http://127.0.0.1:1",
      secret: "s",
    },
    deployment,
    logger,
    host: "127.0.0.1",
  });
  try {
    expect(await status(`${web.url}/healthz`)).toBe(200);
    expect(await status(`${web.url}/readyz`)).toBe(503);
    const answer = await httpRequest(`${web.url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "d1",
        "x-hub-signature-256": "sha256=00",
      },
      body: "{}",
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("30");
  } finally {
    await web.close();
    // Clean: every step (servers, queue, the never-connected Redis) closed without failing or
    // running into its timeout.
    expect(lines.filter((line) => line.includes("shutdown step failed"))).toEqual([]);
    expect(await isListening("127.0.0.1", web.port)).toBe(false);
  }
});
