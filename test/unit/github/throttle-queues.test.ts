import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { RetryLoop, throttleQueues } from "../../../src/github/throttle-queues.js";
import { captureLog, LEVEL } from "../../support/capture-log.js";
import { onFakeClock } from "../../support/fake-clock.js";

const API = "https://api.github.com";
const TOKEN = "ghp_TopSecretToken0123456789";
const ROUTE = "/enterprises/acme/license-sync-status";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("RetryLoop", () => {
  it("tries again after the wait a failed listener answers, with the task's arguments and the retry count", async () => {
    const loop = new RetryLoop();
    const seen: Array<{ args: unknown[]; retryCount: number }> = [];
    loop.on("failed", (_error, info) => {
      seen.push(info);
      return info.retryCount < 2 ? 1000 : null;
    });
    let calls = 0;
    const task = async (a: string, b: number) => {
      calls += 1;
      if (calls < 3) throw new Error("limited");
      return `${a}${b}`;
    };

    const outcome = await onFakeClock(() => loop.schedule(task, "x", 1));

    expect(outcome).toMatchObject({ value: "x1" });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(seen).toEqual([
      { args: ["x", 1], retryCount: 0 },
      { args: ["x", 1], retryCount: 1 },
    ]);
  });

  it("rejects with the task's own error when no listener answers a wait or a listener throws", async () => {
    const failure = new Error("refused");
    const quiet = new RetryLoop();
    quiet.on("failed", () => undefined);
    const throwing = new RetryLoop();
    throwing.on("failed", () => {
      throw new TypeError("Cannot read properties of undefined (reading 'headers')");
    });
    let calls = 0;
    const task = async () => {
      calls += 1;
      throw failure;
    };

    await expect(quiet.schedule(task)).rejects.toBe(failure);
    await expect(throwing.schedule(task)).rejects.toBe(failure);
    expect(calls).toBe(2);
  });

  it("ignores events other than failed", async () => {
    const loop = new RetryLoop();
    loop.on("retry", () => 10);
    await expect(
      loop.schedule(async () => {
        throw new Error("once");
      }),
    ).rejects.toThrow("once");
  });
});

describe("throttleQueues", () => {
  it("gives read-only clients groups that run each task at once, and writers none", async () => {
    const queues = throttleQueues(true) as Record<
      string,
      {
        key: (id: string) => {
          schedule: (options: object, task: (n: number) => Promise<number>, n: number) => Promise<number>;
        };
      }
    >;
    expect(Object.keys(queues).sort()).toEqual(["global", "retryLimiter", "write"]);
    await expect(queues.write!.key("api.github.com").schedule({}, async (n: number) => n + 1, 41)).resolves.toBe(42);
    expect(Object.keys(throttleQueues(false))).toEqual(["retryLimiter"]);
  });

  it("a read-only client still waits out a secondary rate limit on GraphQL, then retries", async () => {
    const log = captureLog();
    nock(API)
      .post("/graphql")
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "1" })
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "mona" } } });
    const client = createGhecClient({ token: TOKEN, logger: log.logger, readOnly: true });

    const outcome = await onFakeClock(() => client.graphql("query { viewer { login } }"));

    expect(outcome).toMatchObject({ value: { viewer: { login: "mona" } } });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(log.records()).toContainEqual(
      expect.objectContaining({ level: LEVEL.warn, limit: "secondary", retryAfterSeconds: 1 }),
    );
  });

  it("a read-only client gives up on a REST rate limit after the configured retries", async () => {
    nock(API).get(ROUTE).times(2).reply(429, { message: "secondary rate limit" }, { "retry-after": "1" });
    const client = createGhecClient({
      token: TOKEN,
      logger: captureLog().logger,
      readOnly: true,
      rateLimit: { retries: 1 },
    });
    const outcome = await onFakeClock(() => client.request(`GET ${ROUTE}`));
    expect(outcome).toMatchObject({ error: { status: 429 } });
  });

  it.each([
    ["a secondary limit whose retry-after is absurd", 403, { "retry-after": "999999" }],
    ["a primary limit that resets in a day", 403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "" }],
    ["a 429 whose retry-after is Infinity", 429, { "retry-after": "Infinity" }],
  ])("a read-only client fails at once, without a wait, on %s", async (_name, status, headers) => {
    const reset = String(Math.floor(Date.now() / 1000) + 86_400);
    const answer = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, name === "x-ratelimit-reset" ? reset : value]),
    );
    nock(API)
      .get(ROUTE)
      .reply(status, { message: "API rate limit exceeded" }, answer as Record<string, string>);
    const client = createGhecClient({ token: TOKEN, logger: captureLog().logger, readOnly: true });
    const outcome = await onFakeClock(() => client.request(`GET ${ROUTE}`));
    expect(outcome).toMatchObject({ error: { status } });
    // Above the policy's 300 s: refused on the spot, not waited for. The fake clock also moves a
    // step for each turn of real work (onFakeClock), and a file's first request on a loaded
    // machine took 1,140 ms of it: the bound is far below any wait, not near the steps.
    expect(outcome.elapsedMs).toBeLessThan(30_000);
  });

  it("a read-only client keeps its own bound on requests in flight, its pass-through groups hold none", async () => {
    let inFlight = 0;
    let most = 0;
    nock(API)
      .get(ROUTE)
      .times(30)
      .reply(async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return [200, {}];
      });
    const client = createGhecClient({ token: TOKEN, logger: captureLog().logger, readOnly: true, concurrency: 8 });
    await Promise.all(Array.from({ length: 30 }, () => client.request(`GET ${ROUTE}`)));
    expect(most).toBe(8);
  });
});
