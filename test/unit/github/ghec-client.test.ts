import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { InputError } from "../../../src/shared/errors.js";
import { buildClient } from "../../../src/github/client.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { createGhesClient } from "../../../src/github/ghes-client.js";
import { RequestMeter } from "../../../src/github/request-meter.js";
import { captureLog, LEVEL } from "../../support/capture-log.js";
import { onFakeClock } from "../../support/fake-clock.js";

const API = "https://api.github.com";
const TOKEN = "ghp_TopSecretToken0123456789";
const ROUTE = "/enterprises/acme/license-sync-status";
const SECONDARY = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("createGhecClient", () => {
  it("bounds a GraphQL page that never answers by the idle deadline, naming the host and the key to raise", async () => {
    nock(API)
      .post("/graphql")
      .delay(2000)
      .reply(200, { data: { viewer: { login: "mona" } } });
    const client = createGhecClient({
      token: TOKEN,
      logger: captureLog().logger,
      serverErrorRetries: 0,
      deadlines: { connectMs: 1000, idleMs: 100, totalMs: 5000 },
    });
    const error = await client.graphql("query { viewer { login } }").catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      /^GitHub api\.github\.com: nothing received for 0\.1 s \(timeouts\.idleSeconds\)/,
    );
  });

  it("bounds a REST page whose body keeps trickling by the total deadline (timeouts.requestSeconds)", async () => {
    let stop = false;
    async function* trickle() {
      yield "[";
      while (!stop) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield " ";
      }
    }
    const { Readable } = await import("node:stream");
    nock(API)
      .get(ROUTE)
      .reply(200, () => Readable.from(trickle()), { "content-type": "application/json" });
    const client = createGhecClient({
      token: TOKEN,
      logger: captureLog().logger,
      serverErrorRetries: 0,
      deadlines: { connectMs: 1000, idleMs: 1000, totalMs: 200 },
    });
    // On the fake clock: the body's 20 ms trickle and the 200 ms deadline are timers on the same
    // clock, so the machine's load cannot reorder them.
    const outcome = await onFakeClock(
      () => client.request("GET /enterprises/{enterprise}/license-sync-status", { enterprise: "acme" }),
      { stepMs: 1 },
    );
    stop = true;
    const error = "error" in outcome ? outcome.error : undefined;
    expect((error as Error).message).toMatch(
      /GitHub api\.github\.com: the answer took longer than 0\.2 s \(timeouts\.requestSeconds\)/,
    );
  });

  it("sends the token, logs method, route, status, duration and request id, and counts attempts", async () => {
    const log = captureLog();
    nock(API)
      .get(ROUTE)
      .matchHeader("authorization", `token ${TOKEN}`)
      .reply(200, { server_instances: [] }, { "x-github-request-id": "ABCD:1234:5678" });
    const client = createGhecClient({ token: TOKEN, logger: log.logger });
    const meter = new RequestMeter();

    await client.request("GET /enterprises/{enterprise}/license-sync-status", {
      enterprise: "acme",
      request: meter.tag(),
    });

    const entry = log.records().find((record) => record.msg === "github request");
    expect(entry).toMatchObject({
      level: LEVEL.debug,
      method: "GET",
      host: "api.github.com",
      route: "/enterprises/{enterprise}/license-sync-status",
      status: 200,
      requestId: "ABCD:1234:5678",
      attempt: 1,
    });
    expect(typeof entry?.durationMs).toBe("number");
    expect(meter.count).toBe(1);
  });

  it("never writes the token or an Authorization header to the log, even when the request fails and the error is logged", async () => {
    const log = captureLog();
    nock(API).get(ROUTE).times(2).reply(502, { message: "Bad gateway" }, { "x-github-request-id": "FAIL:1" });
    const client = createGhecClient({ token: TOKEN, logger: log.logger, serverErrorRetries: 1, retryDelayMs: 1 });

    const error = await client.request(`GET ${ROUTE}`).catch((caught: unknown) => caught);
    log.logger.error({ err: error }, "collector failed");

    expect((error as { status?: number }).status).toBe(502);
    expect(log.text()).toContain("FAIL:1");
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain("TopSecret");
    expect(log.text().toLowerCase()).not.toMatch(/"authorization":"(token|bearer) [^[]/);
  });

  it("retries 5xx answers and succeeds, each attempt logged", async () => {
    const log = captureLog();
    nock(API).get(ROUTE).reply(500).get(ROUTE).reply(503).get(ROUTE).reply(200, { server_instances: [] });
    const client = createGhecClient({ token: TOKEN, logger: log.logger, retryDelayMs: 1 });
    const meter = new RequestMeter();

    const response = await client.request(`GET ${ROUTE}`, { request: meter.tag() });

    expect(response.status).toBe(200);
    expect(meter.count).toBe(3);
    const statuses = log
      .records()
      .filter((record) => record.msg?.startsWith("github request"))
      .map((record) => record.status);
    expect(statuses).toEqual([500, 503, 200]);
  });

  it("numbers the attempts of a retried GraphQL query as it does REST ones", async () => {
    const log = captureLog();
    nock(API)
      .post("/graphql")
      .reply(502)
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "octocat" } } });
    const client = createGhecClient({ token: TOKEN, logger: log.logger, retryDelayMs: 1, readOnly: true });

    await expect(client.graphql("query { viewer { login } }")).resolves.toEqual({ viewer: { login: "octocat" } });
    const attempts = log
      .records()
      .filter((record) => record.msg?.startsWith("github request"))
      .map((record) => [record.attempt, record.status]);
    expect(attempts).toEqual([
      [1, 502],
      [2, 200],
    ]);
  });

  it("logs a request its caller cut off at debug level, not as a failure of GitHub's", async () => {
    const log = captureLog();
    nock(API).get(ROUTE).delay(500).reply(200, { server_instances: [] });
    const client = createGhecClient({ token: TOKEN, logger: log.logger, retryDelayMs: 1 });
    const stop = new AbortController();

    const cut = client.request(`GET ${ROUTE}`, { request: { signal: stop.signal } });
    setTimeout(() => stop.abort(), 50);
    await expect(cut).rejects.toBeDefined();
    const records = log.records().filter((record) => record.msg?.startsWith("github request"));
    expect(records).toEqual([
      expect.objectContaining({ level: LEVEL.debug, msg: "github request cut off by its caller", aborted: true }),
    ]);
    expect(records[0]).not.toHaveProperty("status");
  });

  it("does not retry a 404", async () => {
    nock(API).get(ROUTE).reply(404, { message: "Not Found" });
    const client = createGhecClient({ token: TOKEN, logger: captureLog().logger, retryDelayMs: 1 });
    await expect(client.request(`GET ${ROUTE}`)).rejects.toMatchObject({ status: 404 });
  });

  it("honours retry-after on a secondary rate limit and logs the wait", async () => {
    const log = captureLog();
    nock(API).get(ROUTE).reply(403, SECONDARY, { "retry-after": "1" }).get(ROUTE).reply(200, { server_instances: [] });
    const client = createGhecClient({ token: TOKEN, logger: log.logger });

    // On the fake clock: the retry cannot go out before a full second of fake time has passed.
    const outcome = await onFakeClock(() => client.request(`GET ${ROUTE}`));

    expect(outcome).toMatchObject({ value: { status: 200 } });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(log.records()).toContainEqual(
      expect.objectContaining({ level: LEVEL.warn, limit: "secondary", retryAfterSeconds: 1 }),
    );
  });

  it("ends a rate-limit wait when the caller aborts, with the rate limit it met, and tries no more", async () => {
    const log = captureLog();
    nock(API).get(ROUTE).reply(403, SECONDARY, { "retry-after": "60" });
    const client = createGhecClient({ token: TOKEN, logger: log.logger });
    const stop = new AbortController();

    const outcome = await onFakeClock(async () => {
      const waiting = client.request(`GET ${ROUTE}`, { request: { signal: stop.signal } }).catch((error) => error);
      // The wait has begun once the rate limit is logged (on a loaded machine the answer may take
      // longer than fake seconds); the caller gives up 2 s into it.
      while (!log.records().some((record) => record.limit === "secondary"))
        await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 2000));
      stop.abort();
      return waiting;
    });

    expect(outcome).toMatchObject({ value: { status: 403 } });
    expect(outcome.elapsedMs).toBeLessThan(60_000);
  });

  it("waits for x-ratelimit-reset on a primary rate limit", async () => {
    const log = captureLog();
    let reset = 0;
    const client = createGhecClient({ token: TOKEN, logger: log.logger });

    // On the fake clock (Date included): the reset is read against the same clock the wait runs on.
    let finishedAt = 0;
    const outcome = await onFakeClock(async () => {
      reset = Math.ceil(Date.now() / 1000) + 1;
      nock(API)
        .get(ROUTE)
        .reply(
          403,
          { message: "API rate limit exceeded" },
          { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
        )
        .get(ROUTE)
        .reply(200, { server_instances: [] });
      await client.request(`GET ${ROUTE}`);
      finishedAt = Date.now();
    });

    expect(outcome).not.toHaveProperty("error");
    expect(finishedAt).toBeGreaterThanOrEqual(reset * 1000);
    expect(log.records()).toContainEqual(expect.objectContaining({ level: LEVEL.warn, limit: "primary" }));
  });

  it("gives up after the configured number of rate-limit retries", async () => {
    const log = captureLog();
    nock(API).get(ROUTE).times(2).reply(429, SECONDARY, { "retry-after": "1" });
    const client = createGhecClient({ token: TOKEN, logger: log.logger, rateLimit: { retries: 1 } });

    await expect(client.request(`GET ${ROUTE}`)).rejects.toMatchObject({ status: 429 });
    expect(log.records().some((record) => String(record.msg).includes("giving up after 1 retries"))).toBe(true);
  });

  it("refuses to wait longer than maxWaitSeconds", async () => {
    nock(API).get(ROUTE).reply(403, SECONDARY, { "retry-after": "3600" });
    const client = createGhecClient({ token: TOKEN, logger: captureLog().logger, rateLimit: { maxWaitSeconds: 60 } });
    // On the fake clock: refused at once, not after the hour, nor after the 60 s it would accept.
    const outcome = await onFakeClock(() => client.request(`GET ${ROUTE}`));
    expect(outcome).toMatchObject({ error: { status: 403 } });
    expect(outcome.elapsedMs).toBeLessThan(60_000);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    let asked = 0;
    nock(API)
      .get(/\/users\/u\d/)
      .times(6)
      .reply(async () => {
        inFlight += 1;
        asked += 1;
        peak = Math.max(peak, inFlight);
        // Held until the bound is reached (or all six were asked for), counted in event-loop turns,
        // not milliseconds; bounded, so a lower peak fails instead of hanging.
        for (let turn = 0; inFlight < 2 && asked < 6 && turn < 1000; turn++)
          await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return [200, {}];
      });
    const client = createGhecClient({ token: TOKEN, logger: captureLog().logger, concurrency: 2 });

    await Promise.all([0, 1, 2, 3, 4, 5].map((n) => client.request("GET /users/{username}", { username: `u${n}` })));

    expect(peak).toBe(2);
  });

  it("uses a data-residency host as given, for REST and GraphQL", async () => {
    nock("https://api.acme.ghe.com")
      .get("/meta")
      .reply(200, {})
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "mona" } } });
    const client = createGhecClient({ apiUrl: "https://api.acme.ghe.com/", token: TOKEN, logger: captureLog().logger });
    await client.request("GET /meta");
    await expect(client.graphql("{ viewer { login } }")).resolves.toEqual({ viewer: { login: "mona" } });
  });

  it("authenticates through an auth strategy (the App's enterprise installation)", async () => {
    nock(API).get(ROUTE).matchHeader("authorization", "token ghs_installation").reply(200, { server_instances: [] });
    const authStrategy = () =>
      Object.assign(async () => ({ type: "token", token: "ghs_installation" }), {
        hook: async (
          request: (options: unknown) => Promise<unknown>,
          route: unknown,
          parameters?: Record<string, unknown>,
        ) => {
          const endpoint = (
            request as unknown as {
              endpoint: { merge: (r: unknown, p?: unknown) => { headers: Record<string, string> } };
            }
          ).endpoint.merge(route, parameters);
          endpoint.headers.authorization = "token ghs_installation";
          return request(endpoint);
        },
      });
    const client = createGhecClient({ authStrategy, auth: { installationId: 1 }, logger: captureLog().logger });
    await expect(client.request(`GET ${ROUTE}`)).resolves.toMatchObject({ status: 200 });
  });

  it("rejects missing or double credentials and URLs with credentials as configuration errors", () => {
    const logger = captureLog().logger;
    expect(() => createGhecClient({ token: "", logger })).toThrow(InputError);
    expect(() => createGhecClient({ logger })).toThrow(/cloud\.token.*read:enterprise/s);
    expect(() => createGhecClient({ token: TOKEN, authStrategy: () => undefined, logger })).toThrow(
      /both a token and an App/,
    );
    expect(() => createGhecClient({ apiUrl: "https://user:pw@api.github.com", token: TOKEN, logger })).toThrow(
      /credentials/,
    );
  });
});

describe("createGhesClient", () => {
  it("talks REST at ${url}/api/v3 with the site admin's token", async () => {
    nock("https://ghes-a.corp.example")
      .get("/api/v3/enterprise/stats/users")
      .matchHeader("authorization", `token ${TOKEN}`)
      .reply(200, { total_users: 1 });
    const client = createGhesClient({ url: "https://ghes-a.corp.example/", token: TOKEN, logger: captureLog().logger });
    const response = await client.request("GET /enterprise/stats/users");
    expect(response.data).toEqual({ total_users: 1 });
  });
});

describe("API answers are bounded in size", () => {
  it("stops reading an endless answer at 64 MB, naming the host, instead of buffering until the total deadline", async () => {
    // A real server (nock buffers a streamed reply): it writes 1 MB chunks as fast as they are read.
    const http = await import("node:http");
    let sent = 0;
    const chunk = Buffer.alloc(1 << 20, 32);
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const write = () => {
        while (!response.destroyed && response.write(chunk)) sent += chunk.length;
      };
      response.on("drain", write);
      response.on("error", () => undefined);
      write();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    nock.enableNetConnect("127.0.0.1");
    try {
      const { port } = server.address() as { port: number };
      const client = buildClient({
        baseUrl: `http://127.0.0.1:${port}`,
        credentials: { token: TOKEN },
        logger: captureLog().logger,
        serverErrorRetries: 0,
      });
      const error = await client.request("GET /user").catch((caught: unknown) => caught);
      expect((error as Error).message).toMatch(/^GitHub 127\.0\.0\.1:\d+: the answer is larger than 64 MB/);
      expect(sent).toBeLessThan(80 << 20);
    } finally {
      nock.disableNetConnect();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses an answer that a redirect brought from another host, naming only that host", async () => {
    const http = await import("node:http");
    const elsewhere = http.createServer((_request, response) =>
      response.writeHead(200, { "content-type": "application/json" }).end('{"login":"attacker"}'),
    );
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    const other = (elsewhere.address() as { port: number }).port;
    const api = http.createServer((_request, response) =>
      response.writeHead(302, { location: `http://localhost:${other}/latest/meta-data?x=1` }).end(),
    );
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    try {
      const { port } = api.address() as { port: number };
      const client = buildClient({
        baseUrl: `http://127.0.0.1:${port}`,
        credentials: { token: TOKEN },
        logger: captureLog().logger,
        serverErrorRetries: 0,
      });
      const error = await client.request("GET /user").catch((caught: unknown) => caught);
      // Octokit wraps what its fetch threw; the cause is the refusal.
      expect((error as { cause?: unknown }).cause).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(`answered from another host (localhost:${other}) after a redirect`);
      expect((error as Error).message).not.toContain("meta-data");
    } finally {
      nock.disableNetConnect();
      for (const server of [api, elsewhere]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });

  it("refuses an answer whose content-length is over the bound without reading it", async () => {
    nock(API)
      .get(ROUTE)
      .reply(200, "[]", { "content-type": "application/json", "content-length": String(1 << 30) });
    const client = createGhecClient({ token: TOKEN, logger: captureLog().logger, serverErrorRetries: 0 });
    const error = await client.request(`GET ${ROUTE}`).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^GitHub api\.github\.com: the answer is larger than 64 MB/);
  });
});
