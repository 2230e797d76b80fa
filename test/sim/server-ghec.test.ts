import { virtualClock } from "../support/virtual-clock.js";
import { createDataset } from "./dataset.js";
import type { ConsumedLicenseRow } from "./dataset-types.js";
import { call, parseLink } from "./http-client.js";
import { insertedRowLogin } from "./routes/ghec.js";
import { startSimulator, type Simulator } from "./server.js";

const dataset = createDataset({ seed: 41, persons: 1000, hosts: ["ghes-a.corp.example"] });
const tokens = {
  ent: { scopes: ["read:enterprise"] },
  repoOnly: { scopes: ["repo"] },
  tiny: { scopes: ["admin:enterprise"], rateLimit: 3 },
};
type Page = { total_seats_consumed: number; total_seats_purchased: number; users: ConsumedLicenseRow[] };
let sim: Simulator;
let shifting: Simulator;
let windowed: Simulator;
/** The rate-limit window of `windowed` runs on it: a test moves past the window without sleeping. */
const windowClock = virtualClock();

beforeAll(async () => {
  sim = await startSimulator({ dataset, tokens });
  shifting = await startSimulator({ dataset, tokens, faults: { shiftRowsAfterPage: 2 } });
  windowed = await startSimulator({ dataset, tokens, rateLimitWindowMs: 400, clock: windowClock });
});
afterAll(async () => {
  await Promise.all([sim.close(), shifting.close(), windowed.close()]);
});

const licenses = (s: Simulator, query: string, token = "ent") =>
  call(`${s.url}/enterprises/acme/consumed-licenses${query}`, { token });

describe("consumed-licenses pagination", () => {
  test("following Link next yields every row once, in the dataset's order", async () => {
    const rows: ConsumedLicenseRow[] = [];
    let url: string | undefined = `${sim.url}/enterprises/acme/consumed-licenses?per_page=100`;
    while (url) {
      const page = await call(url, { token: "ent" });
      const body = page.json as Page;
      expect(body.total_seats_consumed).toBe(dataset.consumedLicenseCount);
      expect(body).not.toHaveProperty("total_count");
      rows.push(...body.users);
      url = parseLink(page.headers.get("link")).next;
    }
    expect(rows).toEqual([...dataset.consumedLicenseRows()]);
  });

  test("Link has next/last on the first page, all four in the middle, prev/first on the last", async () => {
    const last = Math.ceil(dataset.consumedLicenseCount / 100);
    const first = parseLink((await licenses(sim, "?per_page=100&page=1")).headers.get("link"));
    expect(Object.keys(first).sort()).toEqual(["last", "next"]);
    expect(new URL(first.last ?? "").searchParams.get("page")).toBe(String(last));
    expect(new URL(first.next ?? "").searchParams.get("per_page")).toBe("100");
    const middle = parseLink((await licenses(sim, "?per_page=100&page=3")).headers.get("link"));
    expect(Object.keys(middle).sort()).toEqual(["first", "last", "next", "prev"]);
    const end = parseLink((await licenses(sim, `?per_page=100&page=${last}`)).headers.get("link"));
    expect(Object.keys(end).sort()).toEqual(["first", "prev"]);
  });

  test("per_page defaults to 30 and is capped at 100", async () => {
    expect(((await licenses(sim, "")).json as Page).users).toHaveLength(30);
    expect(((await licenses(sim, "?per_page=500")).json as Page).users).toHaveLength(100);
    expect(((await licenses(sim, "?page=999")).json as Page).users).toHaveLength(0);
  });

  test("after page k the list shifts by one new front row: a naive page walk doubles one row and misses the new one", async () => {
    const total = dataset.consumedLicenseCount;
    const pages: Page[] = [];
    for (let page = 1; page <= Math.ceil(total / 100); page++)
      pages.push((await licenses(shifting, `?per_page=100&page=${page}`)).json as Page);
    expect(pages[1]?.total_seats_consumed).toBe(total);
    expect(pages[2]?.total_seats_consumed).toBe(total + 1);
    const logins = pages.flatMap((p) => p.users).map((u) => JSON.stringify(u));
    expect(new Set(logins).size).toBe(logins.length - 1);
    expect(pages[2]?.users[0]).toEqual(pages[1]?.users[99]);
    const refetched = (await licenses(shifting, "?per_page=100&page=1")).json as Page;
    expect(refetched.users[0]?.github_com_login).toBe(insertedRowLogin(0));
    expect(shifting.context.insertedRows).toBe(1);
    shifting.reset();
    expect(((await licenses(shifting, "?per_page=100&page=1")).json as Page).users[0]).toEqual(
      dataset.consumedLicenseRow(0),
    );
  });

  test("license-sync-status answers the dataset's status; unknown enterprise is 404", async () => {
    expect((await call(`${sim.url}/enterprises/acme/license-sync-status`, { token: "ent" })).json).toEqual(
      dataset.syncStatus(),
    );
    expect((await call(`${sim.url}/enterprises/other/consumed-licenses`, { token: "ent" })).status).toBe(404);
  });
});

describe("auth and headers", () => {
  test("unknown or missing token is 401 Bad credentials; a token without the scope is 403 with scope headers", async () => {
    const unknown = await licenses(sim, "", "nope");
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual(expect.objectContaining({ message: "Bad credentials" }));
    expect((await call(`${sim.url}/enterprises/acme/consumed-licenses`)).status).toBe(401);
    const denied = await licenses(sim, "", "repoOnly");
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-accepted-oauth-scopes")).toContain("read:enterprise");
    expect(denied.headers.get("x-oauth-scopes")).toBe("repo");
  });

  test("every answer carries a unique request id and rate limit headers that count down", async () => {
    const a = await licenses(sim, "?page=1");
    const b = await licenses(sim, "?page=2");
    expect(a.headers.get("x-github-request-id")).not.toBe(b.headers.get("x-github-request-id"));
    expect(Number(a.headers.get("x-ratelimit-remaining")) - Number(b.headers.get("x-ratelimit-remaining"))).toBe(1);
    expect(b.headers.get("x-ratelimit-limit")).toBe("5000");
    expect(b.headers.get("x-ratelimit-resource")).toBe("core");
    expect(Number(b.headers.get("x-ratelimit-used"))).toBe(Number(a.headers.get("x-ratelimit-used")) + 1);
    expect(Number(b.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
  });

  test("an exhausted primary rate limit is 403 with remaining 0, per token, until the window resets", async () => {
    const remaining = [];
    for (let i = 0; i < 3; i++)
      remaining.push((await licenses(windowed, "", "tiny")).headers.get("x-ratelimit-remaining"));
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await licenses(windowed, "", "tiny");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    expect((refused.json as { message: string }).message).toMatch(/API rate limit exceeded/);
    expect((await licenses(windowed, "", "ent")).status).toBe(200);
    expect(windowed.requests.at(-2)?.fault).toBe("rateLimit");
    await windowClock.sleep(450);
    expect((await licenses(windowed, "", "tiny")).status).toBe(200);
  });

  test("the request log records route, status and duration; counts() groups by route", async () => {
    sim.reset();
    await licenses(sim, "");
    await licenses(sim, "", "nope");
    await call(`${sim.url}/enterprises/acme/license-sync-status`, { token: "ent" });
    await call(`${sim.url}/nowhere`);
    expect(sim.counts()).toEqual({
      "GET /enterprises/{enterprise}/consumed-licenses": 2,
      "GET /enterprises/{enterprise}/license-sync-status": 1,
      unmatched: 1,
    });
    expect(sim.counts((e) => e.status === 401)).toEqual({ "GET /enterprises/{enterprise}/consumed-licenses": 1 });
    expect(sim.requests.map((r) => r.status)).toEqual([200, 401, 200, 404]);
    expect(sim.requests.every((r) => r.durationMs >= 0 && r.target === "cloud")).toBe(true);
  });
});
