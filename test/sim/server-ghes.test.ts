import { csvChunks } from "./csv.js";
import { createDataset } from "./dataset.js";
import { call, parseLink } from "./http-client.js";
import { startSimulator, type Simulator } from "./server.js";

const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example"];
const dataset = createDataset({ seed: 31, persons: 1200, hosts: HOSTS });
const tokens = {
  admin: { scopes: ["site_admin"], login: "siteadmin" },
  anyLogin: { scopes: ["site_admin"] },
  onlyA: { scopes: ["site_admin"], targets: ["ghes-a.corp.example"] },
  plain: { scopes: ["repo"], login: "dev" },
};
const admin = { login: "siteadmin", password: "admin" };
let sim: Simulator;
let slow: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ dataset, tokens });
  slow = await startSimulator({ dataset, tokens, reportPendingCalls: 3 });
});
afterAll(async () => {
  await sim.close();
  await slow.close();
});
beforeEach(() => sim.reset());

const report = (s: Simulator, host: string, basic = admin) =>
  call(`${s.serverUrl(host)}/stafftools/reports/all_users.csv`, { basic });

describe("GHES all_users.csv report", () => {
  test("answers 202 first, then streams the CSV, per host; reset() starts over", async () => {
    const host = HOSTS[0] ?? "";
    const first = await report(sim, host);
    expect(first.status).toBe(202);
    expect(first.text.length).toBeLessThan(200);
    const second = await report(sim, host);
    expect(second.status).toBe(200);
    expect(second.headers.get("content-type")).toMatch(/^text\/csv/);
    // Streamed: chunked, no length known up front.
    expect(second.headers.get("content-length")).toBeNull();
    expect(second.text.charCodeAt(0)).toBe(0xfeff);
    expect(second.text).toBe([...csvChunks(dataset, host)].join(""));
    expect((await report(sim, host)).status).toBe(200);
    expect((await report(sim, HOSTS[1] ?? "")).status).toBe(202);
    sim.reset();
    expect((await report(sim, host)).status).toBe(202);
  });

  test("a prerendered report is the same text, in the same chunks, for every host", async () => {
    const prerendered = await startSimulator({ dataset, tokens, prerenderReports: true });
    try {
      for (const host of HOSTS) {
        expect(prerendered.context.preparedReports.get(host)).toEqual([...csvChunks(dataset, host)]);
        expect((await report(prerendered, host)).status).toBe(202);
        const ready = await report(prerendered, host);
        expect(ready.status).toBe(200);
        expect(ready.text).toBe([...csvChunks(dataset, host)].join(""));
      }
      expect(sim.context.preparedReports.size).toBe(0);
    } finally {
      await prerendered.close();
    }
  });

  test("the number of 202s is configurable", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await report(slow, HOSTS[1] ?? "")).status);
    expect(statuses).toEqual([202, 202, 202, 200]);
  });

  test("basic auth: wrong password, wrong login, token header and missing scope are refused", async () => {
    const host = HOSTS[0] ?? "";
    const wrong = await report(sim, host, { login: "siteadmin", password: "nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect((await report(sim, host, { login: "mallory", password: "admin" })).status).toBe(401);
    expect((await call(`${sim.serverUrl(host)}/stafftools/reports/all_users.csv`, { token: "admin" })).status).toBe(
      401,
    );
    const noScope = await report(sim, host, { login: "dev", password: "plain" });
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get("x-accepted-oauth-scopes")).toBe("site_admin");
    expect(noScope.headers.get("x-oauth-scopes")).toBe("repo");
    // A token without a fixed login takes any login; none of the refusals counted as report calls.
    expect((await report(sim, host, { login: "whoever", password: "anyLogin" })).status).toBe(202);
  });
});

describe("GHES REST", () => {
  test("license and stats take a token header or basic auth, and a token exists only on its hosts", async () => {
    const [a = "", b = ""] = HOSTS;
    expect((await call(`${sim.serverUrl(a)}/api/v3/enterprise/settings/license`, { token: "admin" })).json).toEqual(
      dataset.license(a),
    );
    expect((await call(`${sim.serverUrl(b)}/api/v3/enterprise/stats/users`, { basic: admin })).json).toEqual(
      dataset.statsUsers(b),
    );
    expect((await call(`${sim.serverUrl(a)}/api/v3/enterprise/stats/users`, { token: "onlyA" })).status).toBe(200);
    const elsewhere = await call(`${sim.serverUrl(b)}/api/v3/enterprise/stats/users`, { token: "onlyA" });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.json).toEqual(expect.objectContaining({ message: "Bad credentials" }));
    const plain = await call(`${sim.serverUrl(a)}/api/v3/enterprise/settings/license`, { token: "plain" });
    expect(plain.status).toBe(403);
    expect(plain.headers.get("x-github-enterprise-version")).toBe("3.19.0");
  });

  test("/users pages by `since` through every account and organization, in id order", async () => {
    const host = HOSTS[1] ?? "";
    const ids: number[] = [];
    let url: string | undefined = `${sim.serverUrl(host)}/api/v3/users?per_page=100`;
    let pages = 0;
    while (url) {
      const page = await call(url, { token: "admin" });
      ids.push(...(page.json as Array<{ id: number }>).map((u) => u.id));
      url = parseLink(page.headers.get("link")).next;
      pages++;
    }
    const accounts = [...dataset.serverAccounts(host)].map((a) => a.id);
    expect(ids).toEqual([...accounts.slice(0, 2), 20, 21, ...accounts.slice(2)]);
    expect(pages).toBe(Math.ceil(ids.length / 100));
  });

  test("unknown hosts and paths are 404", async () => {
    expect(
      (await call(`${sim.serverUrl("nope.example")}/api/v3/enterprise/stats/users`, { token: "admin" })).status,
    ).toBe(404);
    expect((await call(`${sim.serverUrl(HOSTS[0] ?? "")}/api/v3/nothing`, { token: "admin" })).status).toBe(404);
  });
});
