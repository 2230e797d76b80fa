import { historySnapshotSchema, buildSnapshot } from "../../../../src/publish/history/snapshot.js";
import { renderSummary, MAX_ISSUE_BODY } from "../../../../src/publish/summary/markdown.js";
import { renderRunSummary, trendPoints, type SummaryBodyOptions } from "../../../../src/publish/summary/body.js";
import type { Divergence } from "../../../../src/shared/report.js";
import { CLEAR_EMAILS, hugeReport, runRecord, smallReport, syncOk } from "../../../support/record.js";
import { mermaidBlocks, parseMermaid } from "../../../support/mermaid-parser.js";

const DIVERGENCES: Divergence[] = [
  {
    kind: "near-limit",
    severity: "warning",
    figures: { purchased: 100, consumed: 96, available: 4, utilizationPercent: "96" },
    context: { utilizationWarning: 0.9 },
  },
  {
    kind: "stale-sync",
    severity: "critical",
    figures: { reason: "stale", lastSync: "2026-11-01" },
    context: { ageDays: 23, staleSyncDays: 8 },
    subject: "ghes-b.corp.example",
  },
];
const LINKS = {
  "near-limit": "[#7](https://github.com/acme/license-admin/issues/7)",
  "stale-sync/ghes-b.corp.example": "[#9](https://github.com/acme/license-admin/issues/9)",
};

/** Earlier weeks' snapshots, as `readHistory` returns them. */
function history(weeks: Array<[string, number]>) {
  return weeks.map(([finishedAt, uniqueUsers]) => {
    const report = smallReport({ purchased: 100 });
    report.totals.uniqueUsers = uniqueUsers;
    return historySnapshotSchema.parse(
      JSON.parse(
        JSON.stringify(
          buildSnapshot(runRecord(report, { finishedAt, runId: `r-${finishedAt}` }), {
            at: new Date(finishedAt),
            peopleCsv: null,
          }),
        ),
      ),
    );
  });
}

const options = (overrides: Partial<SummaryBodyOptions> = {}): SummaryBodyOptions => ({
  marker: "<!-- license-sync:summary week=2026-W48 enterprise=acme -->",
  at: new Date("2026-11-24T06:03:12Z"),
  history: [],
  weeks: 12,
  emails: "masked",
  divergenceLinks: LINKS,
  csvLink:
    "https://github.com/acme/license-admin/blob/main/license-usage/history/2026/2026-11-24T060312Z-run-1-people.csv",
  ...overrides,
});

const fixed = () =>
  runRecord(smallReport({ purchased: 100, divergences: DIVERGENCES }), {
    syncStatus: [
      syncOk("ghes-a.corp.example"),
      {
        ...syncOk("ghes-b.corp.example", "2026-11-01T04:00:00.000Z"),
        status: "failure",
        reportedStatus: "failed",
        error: "timeout",
      },
    ],
  });

describe("the summary of a small fixed report", () => {
  test("first run: headline, instances, reasons, persons, links, method; the pie but no trend yet", () => {
    const { body, truncated } = renderRunSummary(fixed(), options());
    expect(truncated).toBe(false);
    expect(body).toMatchSnapshot();
    expect(mermaidBlocks(body).map((b) => b.split("\n").find((l) => !l.startsWith("%%")))).toEqual(["pie showData"]);
  });
  test("with two weeks of history: the trend chart, and every Mermaid block parses", () => {
    const { body } = renderRunSummary(
      fixed(),
      options({
        history: history([
          ["2026-11-10T06:00:00Z", 90],
          ["2026-11-17T06:00:00Z", 93],
        ]),
      }),
    );
    expect(body).toMatchSnapshot();
    const blocks = mermaidBlocks(body);
    expect(blocks).toHaveLength(2);
    expect(parseMermaid(blocks)).toEqual([
      { ok: true, type: "xychart" },
      { ok: true, type: "pie" },
    ]);
  });
  test("with emails hidden, no email at all, not even masked", () => {
    const { body } = renderRunSummary(fixed(), options({ emails: "hidden" }));
    // Docs links hold `cloud@latest`; an address needs a dotted domain.
    expect(body).not.toMatch(/[^\s(]+@[a-z0-9-]+\.[a-z]/i);
    expect(body).toContain("| Accounts | Looks like | Reason | Fix |");
  });
  test("links each divergence to its issue and the label's issue list", () => {
    const { body } = renderRunSummary(fixed(), {
      ...options(),
      divergenceIndexUrl: "https://github.com/acme/license-admin/issues?q=label",
    });
    expect(body).toContain(
      "**stale-sync** (ghes-b.corp.example), critical: ghes-b.corp.example last synced on 2026-11-01 (23 days before this run; the limit is 8 days), so GitHub's count of its users is out of date. [#9](https://github.com/acme/license-admin/issues/9)",
    );
    expect(body).toContain("[All open divergence issues](https://github.com/acme/license-admin/issues?q=label)");
    expect(body).toContain("| ghes-b.corp.example | API | 12 | 10 | 36 (billable -26) | 9 | 1 | 2026-11-01 (failed) |");
  });
});

test("trend points: one per week, this run replacing an earlier run of its own week, last N weeks", () => {
  const h = history([
    ["2026-11-03T06:00:00Z", 80],
    ["2026-11-10T06:00:00Z", 90],
    ["2026-11-24T01:00:00Z", 95],
  ]);
  const points = trendPoints(h, fixed(), new Date("2026-11-24T06:03:12Z"), 2);
  expect(points.map((p) => [p.week, p.uniqueUsers])).toEqual([
    ["2026-W46", 90],
    ["2026-W48", 96],
  ]);
});

describe("a 300,000-user enterprise", () => {
  const report = hugeReport(300_000);
  const record = runRecord(report);
  test.each(["masked", "hidden"] as const)(
    "the body stays under 65,536 characters (emails %s) and points at the CSV",
    (emails) => {
      const { body, truncated, omittedPeople } = renderRunSummary(
        record,
        options({ emails, history: history([["2026-11-17T06:00:00Z", 500_000]]) }),
      );
      expect(body.length).toBeLessThanOrEqual(MAX_ISSUE_BODY);
      expect(body.length).toBeGreaterThan(40_000); // the room is used, not wasted
      expect(truncated).toBe(true);
      expect(omittedPeople).toBeGreaterThan(200_000);
      expect(body).toContain(
        `${omittedPeople} more in the [attached CSV](https://github.com/acme/license-admin/blob/main/`,
      );
      expect(body).toContain("<details>\n<summary>40 instances</summary>");
      expect(parseMermaid(mermaidBlocks(body)).every((r) => r.ok)).toBe(true);
    },
  );
  test("even a tiny limit is respected", () => {
    expect(renderSummary(report, { maxLength: 8_000 }).body.length).toBeLessThanOrEqual(8_000);
  });
});

test("no clear email reaches any rendered body", () => {
  expect(CLEAR_EMAILS.length).toBeGreaterThan(100);
  const bodies = [
    renderRunSummary(fixed(), options()).body,
    renderRunSummary(runRecord(hugeReport(5_000)), options()).body,
    renderSummary(smallReport()).body,
  ];
  for (const body of bodies) for (const email of CLEAR_EMAILS) expect(body).not.toContain(email);
});
