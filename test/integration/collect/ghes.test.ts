import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import nock, { strictNock } from "../../support/nock.js";
import { ReportDeadlineError } from "../../../src/collect/ghes/report.js";
import { DeadlineError } from "../../../src/github/deadlines.js";
import { parseExpireAt } from "../../../src/collect/ghes/license.js";
import { collectGhes, type CollectGhesOptions } from "../../../src/collect/ghes/collect-ghes.js";
import { InputError } from "../../../src/shared/errors.js";
import { createGhesClient } from "../../../src/github/ghes-client.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { fixture } from "../../support/cli.js";
import { captureLog } from "../../support/capture-log.js";
import { ALL_USERS_HEADER, csvLine, loadFixture } from "./fixtures.js";
import { virtualClock } from "../../support/virtual-clock.js";
import { onFakeClock } from "../../support/fake-clock.js";

strictNock();

const URL_A = "https://ghes-a.corp.example";
const TOKEN = "ghp_SiteAdminToken0123456789";
const REPORT = "/stafftools/reports/all_users.csv";
const BASIC = `Basic ${Buffer.from(`site-admin:${TOKEN}`).toString("base64")}`;
const EMAILS = ["Mona.Lisa@Corp.Example", "hubot@corp.example", "sleepy@corp.example", "dormant.dan@corp.example"];
const CSV = [
  ALL_USERS_HEADER,
  csvLine(1, "mona", EMAILS[0]!, { role: "admin" }),
  csvLine(2, "hubot", EMAILS[1]!, { suspended: "no" }),
  csvLine(3, "sleepy", EMAILS[2]!, { suspended: "yes" }),
  csvLine(4, "ghost", ""),
  csvLine(5, "dan", EMAILS[3]!, { dormant: "1" }),
].join("\n");

function options(overrides: Partial<CollectGhesOptions> = {}): CollectGhesOptions {
  const logger = overrides.logger ?? captureLog().logger;
  return {
    client: createGhesClient({ url: URL_A, token: TOKEN, logger, retryDelayMs: 1 }),
    server: { hostname: "GHES-A.corp.example", url: URL_A, token: TOKEN, login: "site-admin" },
    protector: createEmailProtector({ secret: "test-secret" }),
    logger,
    pollIntervalMs: 5,
    ...overrides,
  };
}

/** License and stats as GitHub's examples have them. */
function mockLicenseAndStats(license: unknown = loadFixture("ghes-enterprise-settings-license.json")) {
  return nock(URL_A)
    .get("/api/v3/enterprise/settings/license")
    .reply(200, license as nock.Body)
    .get("/api/v3/enterprise/stats/users")
    .reply(200, loadFixture("ghes-3.19-enterprise-stats-users.json"));
}

describe("collectGhes", () => {
  it("polls 202 -> 200 with basic auth, finds the login with GET /user, and streams the CSV into protected records", async () => {
    nock(URL_A)
      .get("/api/v3/user")
      .matchHeader("authorization", `token ${TOKEN}`)
      .reply(200, { login: "site-admin", site_admin: true })
      .get(REPORT)
      .matchHeader("authorization", BASIC)
      .times(2)
      .reply(202, "")
      .get(REPORT)
      .matchHeader("authorization", BASIC)
      .reply(200, CSV, { "content-type": "text/csv" });
    mockLicenseAndStats();
    const progress: number[] = [];
    const log = captureLog();

    const result = await collectGhes(
      options({
        logger: log.logger,
        server: { hostname: "ghes-a.corp.example", url: URL_A, token: TOKEN },
        onProgress: ({ accountsRead }) => progress.push(accountsRead),
      }),
    );

    expect(result.hostname).toBe("ghes-a.corp.example");
    expect(result.accounts.map((account) => account.id)).toEqual([1, 2, 3, 4, 5]);
    expect(result.accounts[0]).toMatchObject({
      hostname: "ghes-a.corp.example",
      siteAdmin: true,
      primaryEmail: { masked: "m***@corp.example", domain: "corp.example" },
    });
    expect(result.accounts[0]!.primaryEmail!.key).toBe(
      createEmailProtector({ secret: "test-secret" }).key("mona.lisa@corp.example"),
    );
    const serialized = JSON.stringify(result).toLowerCase();
    for (const email of EMAILS) expect(serialized).not.toContain(email.toLowerCase());
    expect(result.billableAccounts).toBe(3);
    expect(result.license).toEqual({
      seats: 1400,
      seatsUsed: 1316,
      seatsAvailable: 84,
      kind: "standard",
      daysUntilExpiration: 365,
      expiresAt: "2016-02-06T18:41:52.000Z",
    });
    expect(result.stats).toEqual({ totalUsers: 100, adminUsers: 3, suspendedUsers: 1 });
    expect(result.seatsUsedDifference).toBe(3 - 1316);
    expect(result.requests).toBe(6);
    expect(progress.at(-1)).toBe(5);
    expect(
      log
        .records()
        .filter((record) => record.route === REPORT)
        .map((record) => record.status),
    ).toEqual([202, 202, 200]);
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain(BASIC.slice("Basic ".length));
    for (const email of EMAILS) expect(log.text().toLowerCase()).not.toContain(email.toLowerCase());
  });

  it("uses the configured login without asking GET /user", async () => {
    nock(URL_A).get(REPORT).matchHeader("authorization", BASIC).reply(200, CSV, { "content-type": "text/csv" });
    mockLicenseAndStats();
    const result = await collectGhes(options());
    expect(result.accounts).toHaveLength(5);
    expect(result.requests).toBe(3);
  });

  it("reads rows while the report is still downloading (never buffers the whole file)", async () => {
    const total = 2500;
    let progressBeforeEnd = false;
    let bodyFinished = false;
    let sawProgress: () => void = () => undefined;
    const progressSeen = new Promise<void>((resolve) => (sawProgress = resolve));
    async function* body() {
      yield `${ALL_USERS_HEADER}\n`;
      for (let id = 1; id <= 1500; id += 1) yield `${csvLine(id, `user${id}`, `user${id}@corp.example`)}\n`;
      // Hold the rest back until the collector reports 1000 accounts read, or give up after 3 s.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([progressSeen, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
      clearTimeout(timer);
      for (let id = 1501; id <= total; id += 1) yield `${csvLine(id, `user${id}`, `user${id}@corp.example`)}\n`;
      bodyFinished = true;
    }
    nock(URL_A)
      .get(REPORT)
      .reply(200, () => Readable.from(body()), { "content-type": "text/csv" });
    mockLicenseAndStats();

    const result = await collectGhes(
      options({
        onProgress: ({ accountsRead }) => {
          if (accountsRead === 1000) {
            progressBeforeEnd = !bodyFinished;
            sawProgress();
          }
        },
      }),
    );

    expect(progressBeforeEnd).toBe(true);
    expect(result.accounts).toHaveLength(total);
  });

  it("gives up at the deadline with an error naming the host and what to do, backing off between polls", async () => {
    const polls: number[] = [];
    // A virtual clock: the polls wait on it, so their times are the waits the collector chose.
    const clock = virtualClock();
    nock(URL_A)
      .get(REPORT)
      .reply(() => {
        polls.push(clock.now());
        return [202, ""];
      })
      .persist();
    mockLicenseAndStats();

    const error = await collectGhes(
      options({ pollIntervalMs: 100, maxPollIntervalMs: 10_000, deadlineMs: 800, clock }),
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReportDeadlineError);
    expect((error as Error).message).toMatch(
      /ghes-a\.corp\.example.*202 Accepted.*run the collection again.*collect\.reportDeadlineSeconds/s,
    );
    // Names the host and the key to raise, never the URL or an option of the code.
    expect((error as Error).message).not.toMatch(/https?:|stafftools|deadlineMs/);
    expect(clock.elapsedMs()).toBeGreaterThanOrEqual(800);
    expect(clock.waits).toEqual([100, 200, 400, 100]);
    // Waits of 100, 200, 400 ms, then a last one cut to the deadline: five polls, not one every 100 ms.
    expect(polls.length).toBeGreaterThanOrEqual(4);
    expect(polls.length).toBeLessThanOrEqual(5);
    const gaps = polls.slice(1).map((time, index) => time - polls[index]!);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]! * 1.5);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]! * 1.5);
  });

  it("fails a report body that trickles in slower than the idle deadline, naming the host and timeouts.idleSeconds", async () => {
    let stop = false;
    async function* trickle() {
      yield `${ALL_USERS_HEADER}\n`;
      // GHES under load: a byte now and then, never the whole report.
      while (!stop) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        yield "1";
      }
    }
    nock(URL_A)
      .get(REPORT)
      .reply(200, () => Readable.from(trickle()), { "content-type": "text/csv" });
    mockLicenseAndStats();
    const reportDeadlines = { connectMs: 1000, idleMs: 150, totalMs: 60_000 };
    // On the fake clock: the 400 ms trickle and the 150 ms idle deadline are timers on one clock.
    const outcome = await onFakeClock(() => collectGhes(options({ reportDeadlines })), { stepMs: 1 });
    const error = "error" in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toMatch(
      /^GHES ghes-a\.corp\.example: nothing received for 0\.15 s \(timeouts\.idleSeconds\)/,
    );
    expect((error as Error).message).not.toMatch(/https?:|stafftools|idleMs/);
    stop = true;
  });

  it("fails a report body that keeps coming past the total deadline, naming timeouts.reportSeconds", async () => {
    let stop = false;
    async function* steady() {
      yield `${ALL_USERS_HEADER}\n`;
      for (let id = 1; !stop; id++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield `${csvLine(id, `user${id}`, `user${id}@corp.example`)}\n`;
      }
    }
    nock(URL_A)
      .get(REPORT)
      .reply(200, () => Readable.from(steady()), { "content-type": "text/csv" });
    mockLicenseAndStats();
    // On the fake clock: the 20 ms rows and the 300 ms total deadline are timers on one clock.
    const outcome = await onFakeClock(
      () => collectGhes(options({ reportDeadlines: { connectMs: 1000, idleMs: 1000, totalMs: 300 } })),
      { stepMs: 1 },
    );
    const error = "error" in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toMatch(
      /GHES ghes-a\.corp\.example: the answer took longer than 0\.3 s \(timeouts\.reportSeconds\)/,
    );
    stop = true;
  });

  it("fails a REST call that hangs, naming the configured hostname and timeouts.idleSeconds", async () => {
    nock(URL_A)
      .get(REPORT)
      .reply(200, CSV, { "content-type": "text/csv" })
      .get("/api/v3/enterprise/settings/license")
      .delay(2000)
      .reply(200, loadFixture("ghes-enterprise-settings-license.json") as nock.Body)
      .get("/api/v3/enterprise/stats/users")
      .reply(200, loadFixture("ghes-3.19-enterprise-stats-users.json"));
    const logger = captureLog().logger;
    const client = createGhesClient({
      url: URL_A,
      token: TOKEN,
      hostname: "ghes-a.corp.example",
      logger,
      retryDelayMs: 1,
      serverErrorRetries: 0,
      deadlines: { connectMs: 1000, idleMs: 200, totalMs: 5000 },
    });
    const error = await collectGhes(options({ client, logger })).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toMatch(
      /GHES ghes-a\.corp\.example: nothing received for 0\.2 s \(timeouts\.idleSeconds\)/,
    );
  });

  it("waits out a rate-limited report (403 with x-ratelimit-remaining: 0 and retry-after) instead of asking for a site admin", async () => {
    nock(URL_A)
      .get(REPORT)
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "retry-after": "1" })
      .get(REPORT)
      .reply(200, CSV, { "content-type": "text/csv" });
    mockLicenseAndStats();
    const log = captureLog();
    const result = await collectGhes(options({ logger: log.logger }));
    expect(result.accounts).toHaveLength(5);
    expect(log.text()).toMatch(/rate limit: retrying in 1s/);
  });

  it("waits out a rate-limited REST call (403 with retry-after, no 'secondary' wording) through the client's throttling", async () => {
    nock(URL_A)
      .get(REPORT)
      .reply(200, CSV, { "content-type": "text/csv" })
      .get("/api/v3/enterprise/settings/license")
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "retry-after": "1" })
      .get("/api/v3/enterprise/settings/license")
      .reply(200, loadFixture("ghes-enterprise-settings-license.json") as nock.Body)
      .get("/api/v3/enterprise/stats/users")
      .reply(429, { message: "Too many requests" }, { "retry-after": "1" })
      .get("/api/v3/enterprise/stats/users")
      .reply(200, loadFixture("ghes-3.19-enterprise-stats-users.json"));
    const result = await collectGhes(options());
    expect(result.license?.seats).toBe(1400);
    expect(result.stats?.totalUsers).toBe(100);
  });

  it("polls again after a 5xx from the report", async () => {
    nock(URL_A).get(REPORT).reply(503, "busy").get(REPORT).reply(200, CSV, { "content-type": "text/csv" });
    mockLicenseAndStats();
    const result = await collectGhes(options());
    expect(result.accounts).toHaveLength(5);
  });

  it.each([401, 403])(
    "turns a %i on the report into an InputError asking for a site admin token with site_admin",
    async (status) => {
      nock(URL_A).get(REPORT).reply(status, "Requires authentication");
      mockLicenseAndStats();
      const error = await collectGhes(options()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/GHES ghes-a\.corp\.example.*site administrator.*site_admin/s);
      expect((error as Error).message).not.toContain(TOKEN);
    },
  );

  it("refuses a report redirected to another host: its rows would be counted as this instance's", async () => {
    nock(URL_A).get(REPORT).reply(302, "", { location: "https://elsewhere.example/all_users.csv" });
    nock("https://elsewhere.example")
      .get("/all_users.csv")
      .reply(200, `${ALL_USERS_HEADER}\n`, { "content-type": "text/csv" });
    mockLicenseAndStats();
    const error = (await collectGhes(options()).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(
      /^GHES ghes-a\.corp\.example: the site-admin report was redirected to another host \(elsewhere\.example\)/,
    );
    expect(error.message).not.toContain("all_users.csv");
  });

  it("treats GHES's sign-in page as refused credentials", async () => {
    nock(URL_A).get(REPORT).reply(200, "<html>Sign in</html>", { "content-type": "text/html; charset=utf-8" });
    mockLicenseAndStats();
    await expect(collectGhes(options())).rejects.toThrow(/sign-in page.*site_admin/s);
  });

  it("refuses a token whose owner is not a site administrator", async () => {
    nock(URL_A).get("/api/v3/user").reply(200, { login: "octo", site_admin: false });
    mockLicenseAndStats();
    const error = await collectGhes(
      options({ server: { hostname: "ghes-a.corp.example", url: URL_A, token: TOKEN } }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/octo, who is not a site administrator/);
  });

  it("turns a 403 on the license into the same InputError", async () => {
    nock(URL_A)
      .get(REPORT)
      .reply(200, CSV, { "content-type": "text/csv" })
      .get("/api/v3/enterprise/settings/license")
      .reply(403, { message: "Must have admin rights" })
      .get("/api/v3/enterprise/stats/users")
      .reply(200, loadFixture("ghes-3.19-enterprise-stats-users.json"));
    await expect(collectGhes(options())).rejects.toThrow(/GET \/enterprise\/settings\/license.*site_admin/s);
  });

  it("reads an unlimited license with an ISO 8601 expiry", async () => {
    nock(URL_A).get(REPORT).reply(200, CSV, { "content-type": "text/csv" });
    mockLicenseAndStats({
      seats: "unlimited",
      seats_used: 2,
      seats_available: "Unlimited",
      kind: "standard",
      days_until_expiration: 30,
      expire_at: "2026-12-31T23:59:59+01:00",
    });
    const result = await collectGhes(options());
    expect(result.license).toEqual({
      seats: "unlimited",
      seatsUsed: 2,
      seatsAvailable: "unlimited",
      kind: "standard",
      daysUntilExpiration: 30,
      expiresAt: "2026-12-31T22:59:59.000Z",
    });
    expect(result.seatsUsedDifference).toBe(1);
  });

  it("reports a missing license or stats endpoint as null", async () => {
    nock(URL_A)
      .get(REPORT)
      .reply(200, CSV, { "content-type": "text/csv" })
      .get("/api/v3/enterprise/settings/license")
      .reply(404, { message: "Not Found" })
      .get("/api/v3/enterprise/stats/users")
      .reply(404, { message: "Not Found" });
    const result = await collectGhes(options());
    expect(result).toMatchObject({ license: null, stats: null, seatsUsedDifference: null, billableAccounts: 3 });
  });

  it("leaves out a license it cannot read, with one warning naming the field (never the value), and still counts the accounts", async () => {
    nock(URL_A).get(REPORT).reply(200, CSV, { "content-type": "text/csv" });
    mockLicenseAndStats({
      seats: "lots",
      seats_used: 2,
      seats_available: 0,
      kind: "standard",
      days_until_expiration: 1,
      expire_at: "soon",
    });
    const log = captureLog();
    const result = await collectGhes(options({ logger: log.logger }));
    expect(result).toMatchObject({ license: null, seatsUsedDifference: null, billableAccounts: 3, accountCount: 5 });
    const warnings = log.records().filter((record) => record.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        hostname: "ghes-a.corp.example",
        route: "GET /enterprise/settings/license",
        field: "seats",
      }),
    ]);
    expect(log.text()).not.toContain("lots");
  });

  it("leaves out statistics it cannot read instead of failing the instance", async () => {
    nock(URL_A)
      .get(REPORT)
      .reply(200, CSV, { "content-type": "text/csv" })
      .get("/api/v3/enterprise/settings/license")
      .reply(200, loadFixture("ghes-enterprise-settings-license.json") as nock.Body)
      .get("/api/v3/enterprise/stats/users")
      .reply(200, { total_users: -1, admin_users: 3, suspended_users: 1 });
    const log = captureLog();
    const result = await collectGhes(options({ logger: log.logger }));
    expect(result).toMatchObject({ stats: null, billableAccounts: 3, license: { seatsUsed: 1316 } });
    expect(log.records().filter((record) => record.level === 40)).toEqual([
      expect.objectContaining({ route: "GET /enterprise/stats/users", field: "total_users" }),
    ]);
  });

  describe("license variants (fixtures/ghes)", () => {
    const EXAMPLE = {
      seats: 1400,
      seatsUsed: 1316,
      seatsAvailable: 84,
      kind: "standard",
      daysUntilExpiration: 365,
      expiresAt: "2016-02-06T18:41:52.000Z",
    };
    it.each([
      ["license.slashed-expiry.json", EXAMPLE, []],
      ["license.dashed-expiry.json", EXAMPLE, []],
      ["license.iso-expiry.json", EXAMPLE, []],
      ["license.null-expiry.json", { ...EXAMPLE, daysUntilExpiration: null, expiresAt: null }, []],
      ["license.over-consumed.json", { ...EXAMPLE, seatsUsed: 1484, seatsAvailable: null }, ["seats_available"]],
      ["license.unknown-kind.json", { ...EXAMPLE, kind: "unknown" }, ["kind"]],
      ["license.unreadable-expiry.json", { ...EXAMPLE, expiresAt: null }, ["expire_at"]],
    ])("%s", async (file, license, skipped) => {
      nock(URL_A).get(REPORT).reply(200, CSV, { "content-type": "text/csv" });
      mockLicenseAndStats(JSON.parse(readFileSync(fixture(`ghes/${file}`), "utf8")));
      const log = captureLog();
      const result = await collectGhes(options({ logger: log.logger }));
      expect(result.license).toEqual(license);
      expect(result.accountCount).toBe(5);
      const warnings = log.records().filter((record) => record.level === 40);
      expect(warnings.map((record) => record.fields)).toEqual(skipped.length > 0 ? [skipped] : []);
      expect(log.text()).not.toContain("next February");
    });
  });
});

describe("parseExpireAt", () => {
  it.each([
    ["2016/02/06 12:41:52 -0600", "2016-02-06T18:41:52.000Z"],
    ["2025-01-02T07:59:59Z", "2025-01-02T07:59:59.000Z"],
    ["2025-01-02T07:59:59.999Z", "2025-01-02T07:59:59.999Z"],
    ["2025-01-02T08:59:59+0100", "2025-01-02T07:59:59.000Z"],
    ["2025-01-02", "2025-01-02T00:00:00.000Z"],
    ["2016-02-06 12:41:52 -0600", "2016-02-06T18:41:52.000Z"],
    ["2016-02-06T12:41:52-06:00", "2016-02-06T18:41:52.000Z"],
  ])("reads %s", (input, expected) => {
    expect(parseExpireAt(input)).toBe(expected);
  });

  it("returns null for text that is not a date", () => {
    expect(parseExpireAt("soon")).toBeNull();
    expect(parseExpireAt("2016/13/45 99:99:99 -0600")).toBeNull();
  });
});
