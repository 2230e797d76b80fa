import { divergenceMarkdown, divergenceSummary } from "../../../../src/publish/divergences/index.js";
import { codeSpan, inlineText, ZWJ } from "../../../../src/shared/markdown.js";
import type { Divergence } from "../../../../src/shared/report.js";
import { SCENARIOS } from "./scenarios.js";

/**
 * Every sentence of every kind, as the engine wrote them before sentences moved to publish
 * (byte for byte), except "days only": it read "expires on in 12 days (12 days left; ...)".
 */
const EXPECTED: Record<string, Array<[string, string | null, string]>> = {
  "over-consumed": [
    [
      "over-consumed",
      null,
      "96 seats consumed but only 95 purchased (1 over). GitHub reports 96; this run counts 96 unique users.",
    ],
    [
      "license-expiring",
      "ghes-a.corp.example",
      "It carries 200 seats while the GHEC enterprise has 95 purchased: upload the current license file to the instance.",
    ],
    [
      "license-expiring",
      "ghes-b.corp.example",
      "It carries 200 seats while the GHEC enterprise has 95 purchased: upload the current license file to the instance.",
    ],
  ],
  "over-consumed, GitHub's count": [
    [
      "over-consumed",
      null,
      "201 seats consumed but only 200 purchased (1 over). GitHub reports 201; this run counts 96 unique users.",
    ],
    [
      "unique-count-mismatch",
      null,
      "This run counts 96 unique users, 105 fewer than GitHub's 201. 6 server persons merged with no cloud account and 4 stale server-only rows were replaced by fresh server data. Server-only persons by reason: 1 identityEmailDiffers, 1 linkedAccountEmailChanged, 1 similarCloudAccount, 1 domainNotVerified, 1 noEmail, 1 noCloudAccount.",
    ],
  ],
  "near-limit": [
    ["near-limit", null, "96 of 106 seats in use (90.6%), at or above the 90% warning threshold; 10 left."],
    [
      "license-expiring",
      "ghes-a.corp.example",
      "It carries 200 seats while the GHEC enterprise has 106 purchased: upload the current license file to the instance.",
    ],
    [
      "license-expiring",
      "ghes-b.corp.example",
      "It carries 200 seats while the GHEC enterprise has 106 purchased: upload the current license file to the instance.",
    ],
  ],
  "near-limit at a configured 80%": [
    ["near-limit", null, "96 of 120 seats in use (80%), at or above the 80% warning threshold; 24 left."],
    [
      "license-expiring",
      "ghes-a.corp.example",
      "It carries 200 seats while the GHEC enterprise has 120 purchased: upload the current license file to the instance.",
    ],
    [
      "license-expiring",
      "ghes-b.corp.example",
      "It carries 200 seats while the GHEC enterprise has 120 purchased: upload the current license file to the instance.",
    ],
  ],
  "unique-count-mismatch, more, by reason": [
    [
      "unique-count-mismatch",
      null,
      "This run counts 96 unique users, 3 more than GitHub's 93. 6 server persons merged with no cloud account and 4 stale server-only rows were replaced by fresh server data. Server-only persons by reason: 1 identityEmailDiffers, 1 linkedAccountEmailChanged, 1 similarCloudAccount, 1 domainNotVerified, 1 noEmail, 1 noCloudAccount.",
    ],
  ],
  "unique-count-mismatch, fewer, no server-only persons": [
    [
      "unique-count-mismatch",
      null,
      "This run counts 90 unique users, 10 fewer than GitHub's 100. 0 server persons merged with no cloud account and 4 stale server-only rows were replaced by fresh server data.",
    ],
  ],
  "unique-count-mismatch, one of each": [
    [
      "unique-count-mismatch",
      null,
      "This run counts 91 unique users, 1 more than GitHub's 90. 1 server person merged with no cloud account and 1 stale server-only row was replaced by fresh server data. Server-only persons by reason: 1 noEmail.",
    ],
  ],
  "stale-sync, stale": [
    [
      "stale-sync",
      "ghes-a.corp.example",
      "ghes-a.corp.example last synced on 2026-11-16 (8 days before this run; the limit is 8 days), so GitHub's count of its users is out of date.",
    ],
  ],
  "stale-sync, failed with an error": [
    [
      "stale-sync",
      "ghes-a.corp.example",
      "The last sync of ghes-a.corp.example did not succeed (status `failed`): Upload rejected: license mismatch",
    ],
  ],
  "stale-sync, stale and failed without an error": [
    [
      "stale-sync",
      "ghes-a.corp.example",
      "ghes-a.corp.example last synced on 2026-11-04 (20 days before this run; the limit is 8 days), so GitHub's count of its users is out of date. The last sync of ghes-a.corp.example did not succeed (status `failure`).",
    ],
  ],
  "stale-sync, missing and never": [
    [
      "stale-sync",
      "ghes-a.corp.example",
      "ghes-a.corp.example was collected in this run, but GitHub's license-sync-status does not list it: GitHub has never received its license usage.",
    ],
    [
      "stale-sync",
      "ghes-b.corp.example",
      "GitHub lists ghes-b.corp.example but it has never synced. The last sync of ghes-b.corp.example did not succeed (status `failure`).",
    ],
  ],
  "stale-sync, not collected": [
    [
      "stale-sync",
      "old.corp.example",
      "old.corp.example last synced on 2026-10-25 (30 days before this run; the limit is 8 days), so GitHub's count of its users is out of date. This run did not collect the instance, so GitHub's rows for it are counted as they are.",
    ],
  ],
  "server-count-mismatch, fewer rows": [
    [
      "server-count-mismatch",
      "ghes-a.corp.example",
      "ghes-a.corp.example has 36 billable accounts (35 persons) in this run; GitHub's consumed-licenses list names it in 33 rows, 3 fewer (tolerance 0).",
    ],
  ],
  "server-count-mismatch, more rows, GHES seats_used differs": [
    [
      "server-count-mismatch",
      "ghes-a.corp.example",
      "ghes-a.corp.example has 36 billable accounts (35 persons) in this run; GitHub's consumed-licenses list names it in 40 rows, 4 more (tolerance 1). GHES's own seats_used differs from this run's billable count by 5.",
    ],
  ],
  "license-expiring, within the warning": [
    [
      "license-expiring",
      "ghes-a.corp.example",
      "The GHES license of ghes-a.corp.example expires on 2026-12-24 (30 days left; warning from 30 days).",
    ],
  ],
  "license-expiring, expired": [
    ["license-expiring", "ghes-a.corp.example", "The GHES license of ghes-a.corp.example expired on 2026-11-21."],
  ],
  "license-expiring, seats differ": [
    [
      "license-expiring",
      "ghes-a.corp.example",
      "It carries 150 seats while the GHEC enterprise has 200 purchased: upload the current license file to the instance.",
    ],
  ],
  "license-expiring, expiring and seats differ": [
    [
      "license-expiring",
      "ghes-a.corp.example",
      "The GHES license of ghes-a.corp.example expires on 2026-11-29 (5 days left; warning from 30 days). It carries 150 seats while the GHEC enterprise has 200 purchased: upload the current license file to the instance.",
    ],
  ],
  "license-expiring, days only": [
    [
      "license-expiring",
      "ghes-a.corp.example",
      "The GHES license of ghes-a.corp.example expires in 12 days (warning from 30 days).",
    ],
  ],
  "license-expiring, seats differ, expiry unknown": [
    [
      "license-expiring",
      "ghes-a.corp.example",
      "It carries 150 seats while the GHEC enterprise has 200 purchased: upload the current license file to the instance.",
    ],
  ],
};

test.each(Object.keys(SCENARIOS))("%s", (name) => {
  const written = SCENARIOS[name]!().map((d) => [d.kind, d.subject ?? null, divergenceSummary(d)]);
  expect(written).toEqual(EXPECTED[name]);
});

test("every scenario has its sentences, and every kind is written", () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(SCENARIOS).sort());
  const kinds = new Set(Object.values(SCENARIOS).flatMap((run) => run().map((d) => d.kind)));
  expect([...kinds].sort()).toEqual([
    "license-expiring",
    "near-limit",
    "over-consumed",
    "server-count-mismatch",
    "stale-sync",
    "unique-count-mismatch",
  ]);
});

describe("in Markdown (issues, summary)", () => {
  const failed = (status: string, error: string): Divergence => ({
    kind: "stale-sync",
    severity: "critical",
    figures: { reason: "failed", lastSync: "2026-11-20", status, error, collected: "yes" },
    context: { ageDays: 4, staleSyncDays: 8 },
    subject: "ghes-a.corp.example",
  });

  test("the sync status is a code span, not escaped backticks", () => {
    const [d] = SCENARIOS["stale-sync, failed with an error"]!();
    expect(divergenceMarkdown(d!)).toBe(
      "The last sync of ghes-a.corp.example did not succeed (status `failed`): Upload rejected: license mismatch",
    );
  });

  test("data stays escaped around it; a hostile status stays one inert code span", () => {
    const md = divergenceMarkdown(failed("fa`iled @everyone", "see [x](https://evil.example) `y` #1"));
    expect(md).toBe(
      `The last sync of ghes-a.corp.example did not succeed (status ${codeSpan("fa`iled @everyone")}): ` +
        `see \\[x\\](https${ZWJ}://evil.example) \\\`y\\\` #${ZWJ}1`,
    );
    expect(md).toContain("(status ``fa`iled @everyone``)");
  });

  test("every other sentence reads as its plain text escaped", () => {
    for (const run of Object.values(SCENARIOS))
      for (const d of run())
        if (!d.figures.status) expect(divergenceMarkdown(d)).toBe(inlineText(divergenceSummary(d)));
  });
});
