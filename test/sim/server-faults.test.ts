import { systemClock, type Clock } from "../../src/shared/clock.js";
import { virtualClock } from "../support/virtual-clock.js";
import { waitFor } from "../support/wait.js";
import { createDataset } from "./dataset.js";
import { call } from "./http-client.js";
import { startSimulator, type Faults, type Simulator } from "./server.js";

const dataset = createDataset({ seed: 61, persons: 600, hosts: ["ghes-a.corp.example"] });
const tokens = { ent: { scopes: ["read:enterprise"] } };
const CONSUMED = "GET /enterprises/{enterprise}/consumed-licenses";
const started: Simulator[] = [];

async function sim({ clock, ...faults }: Faults & { clock?: Clock }): Promise<Simulator> {
  const s = await startSimulator({ dataset, tokens, faults, clock });
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
    // The client's own deadline ends the call (a TimeoutError), not an answer or a reset socket.
    await expect(
      call(`${s.url}/enterprises/acme/consumed-licenses`, { token: "ent", signal: AbortSignal.timeout(300) }),
    ).rejects.toMatchObject({ name: "TimeoutError" });
    expect(s.requests[0]).toEqual(expect.objectContaining({ status: 0, fault: "timeout" }));
    const pending = call(`${s.url}/enterprises/acme/consumed-licenses?page=2`, { token: "ent" }).catch(
      (e: unknown) => e,
    );
    await waitFor("the second request to be held", async () => (s.requests.length === 2 ? true : undefined));
    // This request has no deadline and is never answered: close() resolves only because it
    // destroys held sockets instead of waiting for them (else this test would never end).
    await s.close();
    started.splice(started.indexOf(s), 1);
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
    // The system clock, with the waits written down: the fault's pace is asserted as waits.
    const waits: number[] = [];
    const clock = { now: systemClock.now, sleep: (ms: number) => (waits.push(ms), systemClock.sleep(ms)) };
    const s = await sim({ slowBodyByteMs: 100, routes: [CONSUMED], clock });
    const response = await fetch(`${s.url}/enterprises/acme/consumed-licenses`, {
      headers: { authorization: "token ent" },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).toBe(1);
    await reader.read();
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits.every((ms) => ms === 100)).toBe(true);
    await reader.cancel();
    expect(s.requests[0]?.fault).toBe("slowBody");
    // Other routes answer at full speed.
    expect((await call(`${s.url}/enterprises/acme/license-sync-status`, { token: "ent" })).status).toBe(200);
  });

  test("latency delays every answer", async () => {
    const clock = virtualClock();
    const s = await sim({ latencyMs: 60, clock });
    expect((await call(`${s.url}/enterprises/acme/license-sync-status`, { token: "ent" })).status).toBe(200);
    expect(clock.waits).toEqual([60]);
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
