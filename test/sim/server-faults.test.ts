import { createDataset } from "./dataset.js";
import { call } from "./http-client.js";
import { startSimulator, type Faults, type Simulator } from "./server.js";

const dataset = createDataset({ seed: 61, persons: 600, hosts: ["ghes-a.corp.example"] });
const tokens = { ent: { scopes: ["read:enterprise"] } };
const CONSUMED = "GET /enterprises/{enterprise}/consumed-licenses";
const started: Simulator[] = [];

async function sim(faults: Faults): Promise<Simulator> {
  const s = await startSimulator({ dataset, tokens, faults });
  started.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

/** 400 distinct requests (one row per page), so every request gets its own draw. */
async function sweep(s: Simulator, n = 400): Promise<number[]> {
  const statuses: number[] = [];
  for (let page = 1; page <= n; page++)
    statuses.push(
      (await call(`${s.url}/enterprises/acme/consumed-licenses?per_page=1&page=${page}`, { token: "ent" })).status,
    );
  return statuses;
}

describe("fault injection", () => {
  test("errorRate answers about that share with 502 (HTML) or 503 (JSON), deterministically per seed", async () => {
    const s = await sim({ seed: 1, errorRate: 0.25 });
    const statuses = await sweep(s);
    const failed = statuses.filter((x) => x >= 500);
    expect(failed.length / statuses.length).toBeGreaterThan(0.18);
    expect(failed.length / statuses.length).toBeLessThan(0.32);
    expect(new Set(failed)).toEqual(new Set([502, 503]));
    expect(s.requests.filter((r) => r.fault === "error")).toHaveLength(failed.length);
    s.reset();
    expect(await sweep(s)).toEqual(statuses);
    const other = await sim({ seed: 2, errorRate: 0.25 });
    expect(await sweep(other)).not.toEqual(statuses);
  });

  test("a retried request gets a fresh draw, so retries eventually succeed", async () => {
    const s = await sim({ seed: 3, errorRate: 0.6 });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await call(`${s.url}/enterprises/acme/consumed-licenses?page=1`, { token: "ent" })).status);
    expect(statuses).toContain(200);
    expect(statuses.some((x) => x >= 500)).toBe(true);
  });

  test("secondary rate limits carry retry-after and GitHub's message, as 403 or 429", async () => {
    for (const status of [403, 429] as const) {
      const s = await sim({ seed: 4, secondaryRateLimitRate: 1, secondaryRateLimitStatus: status });
      const answer = await call(`${s.url}/enterprises/acme/consumed-licenses`, { token: "ent" });
      expect(answer.status).toBe(status);
      expect(answer.headers.get("retry-after")).toBe("1");
      expect((answer.json as { message: string }).message).toMatch(/exceeded a secondary rate limit/);
      // Not a primary limit: clients must not wait for x-ratelimit-reset.
      expect(answer.headers.get("x-ratelimit-remaining")).not.toBe("0");
    }
    const some = await sim({ seed: 5, secondaryRateLimitRate: 0.1 });
    const limited = (await sweep(some, 300)).filter((x) => x === 403).length;
    expect(limited).toBeGreaterThan(15);
    expect(limited).toBeLessThan(50);
  });

  test("timeouts hold the socket until the client gives up; close() still ends promptly", async () => {
    const s = await sim({ seed: 6, timeoutRate: 1 });
    const begun = Date.now();
    await expect(
      call(`${s.url}/enterprises/acme/consumed-licenses`, { token: "ent", signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(Date.now() - begun).toBeGreaterThanOrEqual(290);
    expect(s.requests[0]).toEqual(expect.objectContaining({ status: 0, fault: "timeout" }));
    const pending = call(`${s.url}/enterprises/acme/consumed-licenses?page=2`, { token: "ent" }).catch(
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 50));
    const closing = Date.now();
    await s.close();
    started.splice(started.indexOf(s), 1);
    expect(Date.now() - closing).toBeLessThan(1000);
    // fetch rejects with a TypeError of another realm than the test's, so compare by name.
    expect(await pending).toEqual(expect.objectContaining({ name: "TypeError" }));
  });

  test("rate-limit 403 answers with x-ratelimit-remaining: 0 and retry-after only, without GitHub's wording", async () => {
    const s = await sim({ seed: 8, rateLimit403Rate: 1, rateLimit403RetryAfter: 2 });
    const answer = await call(`${s.url}/enterprises/acme/consumed-licenses`, { token: "ent" });
    expect(answer.status).toBe(403);
    expect(answer.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(answer.headers.get("retry-after")).toBe("2");
    expect((answer.json as { message: string }).message).not.toMatch(/secondary/);
    expect(s.requests[0]?.fault).toBe("rateLimit403");
    const some = await sim({ seed: 9, rateLimit403Rate: 0.5 });
    const limited = (await sweep(some, 100)).filter((x) => x === 403).length;
    expect(limited).toBeGreaterThan(30);
    expect(limited).toBeLessThan(70);
  });

  test("slow body sends the status at once, then one byte every slowBodyByteMs", async () => {
    const s = await sim({ slowBodyByteMs: 100, routes: [CONSUMED] });
    const response = await fetch(`${s.url}/enterprises/acme/consumed-licenses`, {
      headers: { authorization: "token ent" },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).toBe(1);
    const begun = Date.now();
    await reader.read();
    expect(Date.now() - begun).toBeGreaterThanOrEqual(80);
    await reader.cancel();
    expect(s.requests[0]?.fault).toBe("slowBody");
    // Other routes answer at full speed.
    expect((await call(`${s.url}/enterprises/acme/license-sync-status`, { token: "ent" })).status).toBe(200);
  });

  test("latency delays every answer", async () => {
    const s = await sim({ latencyMs: 60 });
    const begun = Date.now();
    expect((await call(`${s.url}/enterprises/acme/license-sync-status`, { token: "ent" })).status).toBe(200);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(55);
    expect(s.requests[0]?.durationMs).toBeGreaterThanOrEqual(55);
  });

  test("faults can be limited to some routes", async () => {
    const s = await sim({ seed: 7, errorRate: 1, routes: [CONSUMED] });
    expect((await call(`${s.url}/enterprises/acme/consumed-licenses`, { token: "ent" })).status).toBeGreaterThanOrEqual(
      502,
    );
    expect((await call(`${s.url}/enterprises/acme/license-sync-status`, { token: "ent" })).status).toBe(200);
  });
});
