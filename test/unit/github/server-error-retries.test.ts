import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/core";
import nock from "../../support/nock.js";
import { serverErrorRetries } from "../../../src/github/server-error-retries.js";
import { onFakeClock } from "../../support/fake-clock.js";

const API = "https://api.github.com";
const ROUTE = "/enterprises/acme/license-sync-status";
const GRAPHQL_FAILURE = {
  data: null,
  errors: [{ message: "Something went wrong while executing your query. Please try again." }],
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

/** A bare Octokit with only the plugin, and the `request.retryCount` each attempt went out with. */
function client(retries = 3, baseDelayMs = 1000) {
  const attempts: Array<number | undefined> = [];
  /** How many attempts have been answered (or failed): a wait after one starts only then. */
  const answered = { count: 0 };
  const Client = Octokit.plugin(
    (octokit: Octokit) =>
      octokit.hook.wrap("request", async (request, options) => {
        attempts.push((options.request as { retryCount?: number }).retryCount);
        try {
          return await request(options);
        } finally {
          answered.count += 1;
        }
      }),
    serverErrorRetries({ retries, baseDelayMs, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] }),
  );
  return { octokit: new Client({ baseUrl: API }), attempts, answered };
}

describe("serverErrorRetries", () => {
  it("retries 5xx answers with (n + 1)² back-off and counts the attempts on the request", async () => {
    nock(API).get(ROUTE).reply(502).get(ROUTE).reply(503).get(ROUTE).reply(200, { ok: true });
    const { octokit, attempts } = client();

    const outcome = await onFakeClock(() => octokit.request(`GET ${ROUTE}`));

    expect(outcome).toMatchObject({ value: { status: 200, data: { ok: true } } });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1000 + 4000);
    expect(attempts).toEqual([undefined, 1, 2]);
  });

  it("gives up after `retries` more attempts with the last answer's error", async () => {
    nock(API).get(ROUTE).times(3).reply(500, { message: "boom" });
    const { octokit, attempts } = client(2, 1);

    await expect(octokit.request(`GET ${ROUTE}`)).rejects.toMatchObject({ status: 500 });
    expect(attempts).toEqual([undefined, 1, 2]);
  });

  it.each([404, 403, 429, 422])("never retries a %i", async (status) => {
    nock(API).get(ROUTE).reply(status, { message: "no" });
    const { octokit, attempts } = client(3, 1);

    await expect(octokit.request(`GET ${ROUTE}`)).rejects.toMatchObject({ status });
    expect(attempts).toEqual([undefined]);
  });

  it("ends a back-off under way when the caller aborts, with the failure it had, and tries no more", async () => {
    nock(API).get(ROUTE).reply(502).get(ROUTE).reply(503);
    const { octokit, attempts, answered } = client(3, 1000);
    const stop = new AbortController();
    const outcome = await onFakeClock(async () => {
      const failing = octokit
        .request(`GET ${ROUTE}`, { request: { signal: stop.signal } })
        .catch((error: unknown) => error);
      // The second attempt fails too; the caller gives up well into the 4 s back-off that follows
      // (counted from that answer: on a loaded machine it may take longer than fake seconds).
      while (answered.count < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      stop.abort();
      return failing;
    });
    expect(outcome).toMatchObject({ value: { status: 503 } });
    // 1 s of back-off, the second attempt, 1.5 s into the next back-off: not the 4 s of it.
    expect(outcome.elapsedMs).toBeLessThan(1000 + 4000);
    expect(attempts).toEqual([undefined, 1]);
  });

  it("does not retry the failure of a request whose caller has already aborted", async () => {
    const { octokit, attempts } = client(3, 1);
    const stop = new AbortController();
    stop.abort();
    // fetch refuses an aborted signal at once; Octokit reports that as a 500, which is otherwise retried.
    await expect(octokit.request(`GET ${ROUTE}`, { request: { signal: stop.signal } })).rejects.toBeDefined();
    expect(attempts).toEqual([undefined]);
  });

  it("retries a network failure", async () => {
    nock(API).get(ROUTE).replyWithError("socket hang up").get(ROUTE).reply(200, { ok: true });
    const { octokit, attempts } = client(3, 1);

    await expect(octokit.request(`GET ${ROUTE}`)).resolves.toMatchObject({ status: 200 });
    expect(attempts).toEqual([undefined, 1]);
  });

  it("lets a request's own `request.retries` win", async () => {
    nock(API).get(ROUTE).reply(500);
    const { octokit, attempts } = client(3, 1);

    await expect(octokit.request(`GET ${ROUTE}`, { request: { retries: 0 } })).rejects.toMatchObject({ status: 500 });
    expect(attempts).toEqual([undefined]);
  });

  it("retries GraphQL's 'Something went wrong' answer as a server error, and no other GraphQL error", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, GRAPHQL_FAILURE)
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "octocat" } } })
      .post("/graphql")
      .reply(200, { data: null, errors: [{ message: "Field 'nope' doesn't exist" }] });
    const { octokit, attempts } = client(3, 1);

    await expect(octokit.request("POST /graphql", { query: "{ viewer { login } }" })).resolves.toMatchObject({
      data: { data: { viewer: { login: "octocat" } } },
    });
    expect(attempts).toEqual([undefined, 1]);
    await expect(octokit.request("POST /graphql", { query: "{ nope }" })).resolves.toMatchObject({ status: 200 });
  });

  it("rethrows what is not a request error without retrying", async () => {
    const failure = new TypeError("not a request");
    const Client = Octokit.plugin(
      (octokit: Octokit) =>
        octokit.hook.wrap("request", () => {
          throw failure;
        }),
      serverErrorRetries({ retries: 3, baseDelayMs: 1, doNotRetry: [] }),
    );

    await expect(new Client({ baseUrl: API }).request(`GET ${ROUTE}`)).rejects.toBe(failure);
  });
});
