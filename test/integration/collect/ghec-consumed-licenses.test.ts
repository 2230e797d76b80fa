import { describe, expect, it } from "@jest/globals";
import nock, { strictNock } from "../../support/nock.js";
import {
  collectConsumedLicenses,
  type CollectConsumedLicensesOptions,
} from "../../../src/collect/ghec/consumed-licenses.js";
import { InputError } from "../../../src/shared/errors.js";
import type { CloudLicense } from "../../../src/shared/report.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { captureLog, LEVEL, type CapturedLog } from "../../support/capture-log.js";
import { cloudRow, licensePage, loadFixture, rows, serverOnlyRow } from "./fixtures.js";
import { onFakeClock } from "../../support/fake-clock.js";

strictNock();

const API = "https://api.github.com";
const PATH = "/enterprises/acme/consumed-licenses";
const SECRET = "test-secret";
const protector = createEmailProtector({ secret: SECRET });

type Page = Record<string, unknown>;
function mockPage(page: number, body: Page | (() => Promise<[number, Page]>)): nock.Scope {
  const interceptor = nock(API)
    .get(PATH)
    .query({ per_page: "100", page: String(page) });
  return typeof body === "function" ? interceptor.reply(body) : interceptor.reply(200, body);
}

function options(
  log: CapturedLog = captureLog(),
  overrides: Partial<CollectConsumedLicensesOptions> = {},
): CollectConsumedLicensesOptions {
  return {
    client: createGhecClient({ token: "ghp_test", logger: log.logger, retryDelayMs: 1 }),
    enterprise: "acme",
    protector,
    logger: log.logger,
    ...overrides,
  };
}

const logins = (result: { usage: { licenses: Array<{ login: string | null }> } }) =>
  result.usage.licenses.map((license) => license.login);

describe("collectConsumedLicenses", () => {
  it("reads 250 rows with exactly ceil(250/100) = 3 requests, in GitHub's order", async () => {
    mockPage(1, licensePage(rows(0, 100), 250));
    mockPage(2, licensePage(rows(100, 200), 250));
    mockPage(3, licensePage(rows(200, 250), 250));
    const progress: number[] = [];

    const result = await collectConsumedLicenses(
      options(undefined, { onProgress: ({ rowsRead }) => progress.push(rowsRead) }),
    );

    expect(result.requests).toBe(3);
    expect(result.totalsChangedMidRun).toBe(false);
    expect(logins(result)).toEqual(rows(0, 250).map((row) => row.github_com_login));
    expect(result.usage.licenses.map((license) => license.index)).toEqual([...Array(250).keys()]);
    expect(result.usage).toMatchObject({
      seatsConsumed: 250,
      seatsPurchased: 5000,
      verifiedEmailDomains: ["corp.example"],
    });
    expect(result.usage.licenses[7]!.verifiedDomainEmails).toEqual([protector.key("user7@corp.example")]);
    expect(JSON.stringify(result)).not.toContain("@corp.example");
    expect(progress.at(-1)).toBe(250);
  });

  it("reads no further than the first short page when total_seats_consumed claims a billion seats; the result is partial", async () => {
    mockPage(1, licensePage(rows(0, 100), 1_000_000_000));
    mockPage(2, licensePage(rows(100, 130), 1_000_000_000));
    // Without the stop, ten million page requests were queued at once.
    nock(API).get(PATH).query(true).times(30).optionally().reply(200, licensePage([], 1_000_000_000));

    const result = await collectConsumedLicenses(options());

    expect(result.usage.licenses).toHaveLength(130);
    expect(result.usage.completeness).toBe("partial");
    // The first window of pages at most (pages 2..9 at the default concurrency of 8).
    expect(result.requests).toBeLessThanOrEqual(9);
    nock.cleanAll();
  });

  it("makes no extra request when the total is a multiple of 100 and the last page is full", async () => {
    mockPage(1, licensePage(rows(0, 100), 200));
    mockPage(2, licensePage(rows(100, 200), 200));
    const result = await collectConsumedLicenses(options());
    expect(result.requests).toBe(2);
    expect(result.usage.licenses).toHaveLength(200);
    expect(result.totalsChangedMidRun).toBe(false);
  });

  it("fetches pages 2..N concurrently, never more than `concurrency` at once", async () => {
    let inFlight = 0;
    let peak = 0;
    let asked = 0;
    mockPage(1, licensePage(rows(0, 100), 1000));
    for (let page = 2; page <= 10; page += 1) {
      mockPage(page, async () => {
        inFlight += 1;
        asked += 1;
        peak = Math.max(peak, inFlight);
        // Hold each page until the bound is reached (or every page was asked for), counted in
        // turns of the event loop rather than milliseconds: a loaded machine cannot let a page
        // finish before the next ones were asked for. Bounded, so a lower peak fails, not hangs.
        for (let turn = 0; inFlight < 3 && asked < 9 && turn < 1000; turn++)
          await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return [200, licensePage(rows((page - 1) * 100, page * 100), 1000)];
      });
    }
    const result = await collectConsumedLicenses(options(undefined, { concurrency: 3 }));
    expect(peak).toBe(3);
    expect(result.requests).toBe(10);
    expect(result.usage.licenses).toHaveLength(1000);
  });

  it("neither loses nor doubles a row that shifts to the next page mid-run, and says the list moved", async () => {
    const log = captureLog();
    // A new person is added at the top after page 1 was read: every later row moves down one place.
    mockPage(1, licensePage(rows(0, 100), 250));
    mockPage(2, licensePage(rows(99, 199), 251));
    mockPage(3, licensePage(rows(199, 250), 251));

    const result = await collectConsumedLicenses(options(log));

    expect(logins(result)).toEqual(rows(0, 250).map((row) => row.github_com_login));
    expect(logins(result).filter((login) => login === "user99")).toHaveLength(1);
    expect(result.totalsChangedMidRun).toBe(true);
    expect(result.usage.seatsConsumed).toBe(251);
    expect(log.records()).toContainEqual(
      expect.objectContaining({ level: LEVEL.warn, duplicatesDropped: 1, firstTotal: 250 }),
    );
  });

  it("hands each license to onLicense in list order while pages answer out of order, as it returns them otherwise", async () => {
    const served: number[] = [];
    const mockPages = () => {
      mockPage(1, licensePage(rows(0, 100), 350));
      // Page 2 answers after pages 3 and 4 (bounded in turns of the event loop, so a loaded
      // machine cannot hang it); a row shifted onto page 3 is still dropped as a duplicate.
      mockPage(2, async () => {
        for (let turn = 0; !(served.includes(3) && served.includes(4)) && turn < 1000; turn++)
          await new Promise((resolve) => setImmediate(resolve));
        served.push(2);
        return [200, licensePage(rows(100, 200), 350)];
      });
      mockPage(3, async () => (served.push(3), [200, licensePage(rows(199, 299), 351)]));
      mockPage(4, async () => (served.push(4), [200, licensePage(rows(299, 350), 351)]));
    };
    mockPages();
    const kept = await collectConsumedLicenses(options());
    served.length = 0;
    mockPages();
    const handed: CloudLicense[] = [];
    const streamed = await collectConsumedLicenses(options(undefined, { onLicense: (l) => handed.push(l) }));

    expect(served.indexOf(2)).toBeGreaterThan(served.indexOf(3));
    expect(streamed.usage.licenses).toEqual([]);
    expect(handed).toEqual(kept.usage.licenses);
    expect(handed.map((license) => license.index)).toEqual([...Array(350).keys()]);
    expect(streamed).toEqual({ ...kept, usage: { ...kept.usage, licenses: [] } });
  });

  it("reads on past the expected last page when it comes back full and the total changed", async () => {
    const log = captureLog();
    mockPage(1, licensePage(rows(0, 100), 200));
    mockPage(2, licensePage(rows(99, 199), 201));
    mockPage(3, licensePage(rows(199, 200), 201));

    const result = await collectConsumedLicenses(options(log));

    expect(result.requests).toBe(3);
    expect(logins(result)).toEqual(rows(0, 200).map((row) => row.github_com_login));
    expect(result.totalsChangedMidRun).toBe(true);
    expect(log.records()).toContainEqual(expect.objectContaining({ level: LEVEL.warn, extraPages: 1 }));
  });

  it("deduplicates server-only rows by their GHES accounts, whatever their order", async () => {
    const shifted = {
      ...serverOnlyRow(5),
      enterprise_server_user_ids: ["ghes-c.corp.example:9", "ghes-b.corp.example:5"],
    };
    const original = {
      ...serverOnlyRow(5),
      enterprise_server_user_ids: ["ghes-b.corp.example:5", "ghes-c.corp.example:9"],
    };
    mockPage(1, licensePage([...rows(0, 99), original], 150));
    mockPage(2, licensePage([shifted, ...rows(99, 148)], 150));
    const result = await collectConsumedLicenses(options());
    expect(result.usage.licenses).toHaveLength(149);
    expect(result.usage.licenses.filter((license) => license.login === null)).toHaveLength(1);
    expect(result.totalsChangedMidRun).toBe(true);
  });

  it("accepts the drift seen in the wild: both example generations, '' booleans, stray keys, enum case", async () => {
    const current = loadFixture<{ users: Array<Record<string, unknown>> }>("ghec-consumed-licenses.json").users;
    const older = loadFixture<{ users: Array<Record<string, unknown>> }>(
      "ghec-consumed-licenses.octokit-openapi-12.0.0.json",
    ).users;
    const drifted = {
      ...older[0]!,
      github_com_login: "octocat",
      license_type: "Enterprise",
      github_com_user: "TRUE",
      cost_center: "R&D",
      ghas_enabled: true,
    };
    mockPage(1, licensePage([current[0]!, current[1]!, drifted], 3));

    const result = await collectConsumedLicenses(options());

    const [mona, hubot, octocat] = result.usage.licenses;
    expect(mona).toMatchObject({
      login: "monalisa",
      githubComUser: true,
      serverEmails: [protector.key("monalisa@github.com")],
    });
    expect(mona!.serverUserIds).toEqual([
      { hostname: "example_host_name.com", id: 123 },
      { hostname: "example_host_name_2", id: 222 },
    ]);
    expect(hubot).toMatchObject({
      login: null,
      githubComUser: false,
      enterpriseServerUser: true,
      serverEmails: [protector.key("hubot@example.com")],
    });
    expect(octocat).toMatchObject({
      login: "octocat",
      githubComUser: true,
      serverEmails: [protector.key("monalisa@github.com")],
    });
    expect(result.usage.verifiedEmailDomains).toEqual(["github.com"]);
  });

  it("names the page and field of a row it cannot read", async () => {
    mockPage(1, licensePage(rows(0, 100), 150));
    const bad = rows(100, 150);
    bad[3] = { ...bad[3], github_com_user: "maybe" };
    mockPage(2, licensePage(bad, 150));
    const error = await collectConsumedLicenses(options()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain("page 2, users[3].github_com_user");
  });

  it.each([401, 403, 404])(
    "turns a %i into an error naming read:enterprise and the enterprise owner",
    async (status) => {
      nock(API).get(PATH).query(true).reply(status, { message: "Must be an enterprise owner" });
      const error = await collectConsumedLicenses(options()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(
        /enterprise "acme".*read:enterprise.*enterprise owner|enterprise owner.*read:enterprise/s,
      );
    },
  );

  it("retries a 5xx page and waits out a secondary rate limit on another, still reading every row once", async () => {
    const log = captureLog();
    mockPage(1, licensePage(rows(0, 100), 250));
    nock(API).get(PATH).query({ per_page: "100", page: "2" }).reply(502, { message: "Bad gateway" });
    mockPage(2, licensePage(rows(100, 200), 250));
    nock(API)
      .get(PATH)
      .query({ per_page: "100", page: "3" })
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "1" });
    mockPage(3, licensePage(rows(200, 250), 250));

    // On the fake clock: page 3 cannot be asked again before retry-after's second has passed.
    const outcome = await onFakeClock(() => collectConsumedLicenses(options(log)));
    if (!("value" in outcome)) throw outcome.error;
    const result = outcome.value;

    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(result.requests).toBe(5);
    expect(result.usage.licenses).toHaveLength(250);
    expect(result.totalsChangedMidRun).toBe(false);
    expect(log.records()).toContainEqual(
      expect.objectContaining({ level: LEVEL.warn, limit: "secondary", retryAfterSeconds: 1 }),
    );
  });

  it("handles an enterprise with no consumed seats", async () => {
    mockPage(1, licensePage([], 0));
    const result = await collectConsumedLicenses(options());
    expect(result).toMatchObject({
      requests: 1,
      totalsChangedMidRun: false,
      usage: { seatsConsumed: 0, licenses: [] },
    });
  });

  it("keeps every digit of a numeric SAML NameID too long for a double, as GitHub writes it", async () => {
    const body = JSON.stringify(
      licensePage(
        [
          { ...cloudRow(1), github_com_saml_name_id: 0 },
          { ...cloudRow(2), github_com_saml_name_id: 0 },
        ],
        2,
      ),
    );
    let n = 0;
    const text = body.replace(
      /"github_com_saml_name_id":0/g,
      () => `"github_com_saml_name_id":${["12345678901234567890123", "12345678901234567890124"][n++]}`,
    );
    nock(API)
      .get(PATH)
      .query({ per_page: "100", page: "1" })
      .reply(200, text, { "Content-Type": "application/json; charset=utf-8" });
    const result = await collectConsumedLicenses(options());
    expect(result.usage.licenses.map((license) => license.samlNameId)).toEqual([
      protector.key("12345678901234567890123"),
      protector.key("12345678901234567890124"),
    ]);
  });

  it("uses cloudRow fixtures shaped like GitHub's example", () => {
    expect(Object.keys(cloudRow(1)).sort()).toEqual(
      Object.keys(loadFixture<{ users: object[] }>("ghec-consumed-licenses.json").users[0]!).sort(),
    );
  });
});
