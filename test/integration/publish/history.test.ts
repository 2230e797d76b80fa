import { parse } from "csv-parse/sync";
import { snapshotPath } from "../../../src/publish/history/paths.js";
import { buildSnapshot } from "../../../src/publish/history/snapshot.js";
import { readHistory } from "../../../src/publish/history/store.js";
import { Plan } from "../../../src/publish/plan.js";
import { publishRun } from "../../../src/publish/publish-run.js";
import type { Divergence } from "../../../src/shared/report.js";
import { CLEAR_EMAILS, hugeReport, repoConfig, runRecord, smallReport, syncOk } from "../../support/record.js";
import { startHarness, type Harness } from "./harness.js";

/** Anything address-shaped, masked or not (docs links hold `cloud@latest/`, which has no dotted domain). */
const ADDRESS = /[^\s("]+@[a-z0-9-]+\.[a-z]/i;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sim.github.restore();
  h.sim.reset();
});

const historyFiles = () => Object.entries(h.files()).filter(([path]) => path.startsWith("license-usage/history/"));

describe("the snapshot committed after each run", () => {
  test("aggregates at license-usage/history/YYYY/YYYY-MM-DDTHHmmssZ-<runId>.json, version 1, no email at all", async () => {
    const over: Divergence = { kind: "over-consumed", severity: "critical", figures: { over: 3 } };
    const result = await publishRun(runRecord(smallReport({ divergences: [over] }), { runId: "run/1 x" }), h.target());
    expect(result.history).toEqual({
      path: "license-usage/history/2026/2026-11-24T060312Z-run-1-x.json",
      committed: true,
    });
    const [[path, text]] = historyFiles() as [[string, string]];
    expect(path).toBe(result.history?.path);
    const snapshot = JSON.parse(text);
    expect(snapshot).toMatchObject({
      version: 1,
      runId: "run/1 x",
      enterprise: "acme",
      week: "2026-W48",
      totals: {
        seatsPurchased: 120,
        seatsConsumedReported: 100,
        uniqueUsers: 96,
        cloudUsers: 90,
        serverOnlyUsers: 6,
        replacedCloudRows: 4,
      },
      matchedBy: { samlIdentity: 10, verifiedDomainEmail: 20 },
      reasons: { noEmail: 1, domainNotVerified: 1 },
      seatSources: { cloudOnly: 54, serverOnly: 6, both: 36 },
      divergences: [{ kind: "over-consumed", issue: 2, figures: { over: 3 } }],
      summaryIssue: 1,
      peopleCsv: null,
    });
    expect(snapshot.instances[0]).toMatchObject({
      hostname: "ghes-a.corp.example",
      source: "api",
      billableAccounts: 36,
      lastSync: "2026-11-23T05:00:00.000Z",
      syncStatus: "success",
      license: { seats: 120 },
    });
    expect(text).not.toMatch(ADDRESS);
    expect(text).not.toContain("***");
  });

  test("a sync error GitHub wrote with an address in it is scrubbed from the snapshot and masked in issues", async () => {
    const leaky: Divergence = {
      kind: "stale-sync",
      severity: "critical",
      // Its sentence quotes the error: "The last sync of ghes-a.corp.example did not succeed (status `failed`): contact ..."
      figures: { reason: "failed", status: "failed", error: "contact Ops.Lead@Corp.Example" },
      subject: "ghes-a.corp.example",
    };
    await publishRun(runRecord(smallReport({ divergences: [leaky] })), h.target());
    const text = historyFiles()[0]![1];
    expect(text).toContain("contact [email removed]");
    const issue = h.issues().find((i) => i.labels.includes("license-sync:divergence"))!;
    // Masked, and inert Markdown: escaped stars, a joiner after `@` so the domain cannot ping.
    expect(issue.body).toContain("o***@\u200Dcorp.example");
    expect(JSON.stringify(h.issues()).toLowerCase()).not.toContain("ops.lead@corp.example");
  });

  test("history disabled: nothing is committed", async () => {
    const result = await publishRun(
      runRecord(smallReport()),
      h.target({ config: repoConfig({ history: { enabled: false, weeks: 12 } }) }),
    );
    expect(result.history).toBeNull();
    expect(historyFiles()).toEqual([]);
  });
});

describe("reading history back", () => {
  const put = (at: string, runId: string, uniqueUsers: number) => {
    const report = smallReport();
    report.totals.uniqueUsers = uniqueUsers;
    const snapshot = buildSnapshot(runRecord(report, { runId, finishedAt: at }), { at: new Date(at), peopleCsv: null });
    h.sim.github.putFile("acme", "license-admin", snapshotPath(new Date(at), runId), JSON.stringify(snapshot));
  };
  const ctx = () => ({
    octokit: h.octokit,
    owner: "acme",
    repo: "license-admin",
    dryRun: false,
    logger: h.log.logger,
    runId: "reader",
    plan: new Plan(),
  });

  test("the newest snapshot of each of the last N weeks, across a year boundary, skipping what does not parse", async () => {
    put("2025-12-22T06:00:00Z", "old", 70); // W52 of 2025: outside 3 weeks
    put("2025-12-29T06:00:00Z", "w01-a", 80); // 2026-W01 (ISO year of its Thursday)
    put("2026-01-02T06:00:00Z", "w01-b", 81); // newer run of the same week wins
    put("2026-01-12T06:00:00Z", "w03", 90);
    put("2026-01-20T06:00:00Z", "future", 99); // after `at`
    h.sim.github.putFile(
      "acme",
      "license-admin",
      "license-usage/history/2026/2026-01-13T060000Z-broken.json",
      "{ not json",
    );
    h.sim.github.putFile(
      "acme",
      "license-admin",
      "license-usage/history/2026/2026-01-14T060000Z-v2.json",
      JSON.stringify({ version: 2 }),
    );
    h.sim.github.putFile(
      "acme",
      "license-admin",
      "license-usage/history/2026/2026-01-12T060000Z-w03-people.csv",
      "status\n",
    );
    const history = await readHistory(ctx(), new Date("2026-01-14T12:00:00Z"), 3);
    expect(history.map((s) => [s.week, s.runId, s.totals.uniqueUsers])).toEqual([
      ["2026-W01", "w01-b", 81],
      ["2026-W03", "w03", 90],
    ]);
    expect(h.log.text()).toContain("skipping a history snapshot that is not JSON");
    expect(h.log.text()).toContain("skipping a history snapshot that does not match format version 1");
  });

  test("no history yet: an empty list, no error", async () => {
    await expect(readHistory(ctx(), new Date("2026-11-24T00:00:00Z"), 12)).resolves.toEqual([]);
  });
});

describe("a large enterprise: the summary is cut and the per-person CSV attached", () => {
  test("masked emails: CSV committed beside the snapshot and linked from the body", async () => {
    const record = runRecord(hugeReport(3_000, 3));
    const result = await publishRun(record, h.target());
    expect(result.summaryTruncated).toBe(true);
    const csvPath = "license-usage/history/2026/2026-11-24T060312Z-run-1-people.csv";
    expect(result.peopleCsv).toEqual({ path: csvPath, committed: true });
    const summary = h.issues().find((i) => i.labels.includes("license-sync"))!;
    expect(summary.body!.length).toBeLessThanOrEqual(65_536);
    expect(summary.body).toMatch(
      new RegExp(`\\d+ more in the \\[attached CSV\\]\\(https://github.com/acme/license-admin/blob/main/${csvPath}\\)`),
    );
    const rows = parse(h.files()[csvPath]!, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(3_000);
    expect(new Set(rows.map((r) => r.email))).toEqual(new Set(["p***@corp.example", ""]));
    expect(JSON.parse(h.files()[result.history!.path]!).peopleCsv).toBe(csvPath);
  });

  test("hidden emails: the CSV has no email either", async () => {
    await publishRun(runRecord(hugeReport(3_000, 3)), h.target({ config: repoConfig({ emails: "hidden" }) }));
    const csv = Object.entries(h.files()).find(([path]) => path.endsWith("-people.csv"))![1];
    expect(csv).not.toMatch(ADDRESS);
    expect(JSON.stringify(h.issues())).not.toMatch(ADDRESS);
  });
});

test("no clear email in any issue, comment, file or log line", async () => {
  const record = runRecord(hugeReport(2_000, 2), {
    syncStatus: [
      syncOk("ghes-0.corp.example"),
      { ...syncOk("ghes-1.corp.example"), status: "failure", error: "rejected for person.7@corp.example" },
    ],
  });
  record.report.divergences = [
    {
      kind: "stale-sync",
      severity: "critical",
      figures: { reason: "failed", status: "failure", error: "rejected for person.7@corp.example" },
      subject: "ghes-1.corp.example",
    },
  ];
  await publishRun(record, h.target());
  await publishRun({ ...record, runId: "run-2", report: { ...record.report, divergences: [] } }, h.target());
  const everything = [JSON.stringify(h.issues()), ...Object.values(h.files()), h.log.text()].join("\n");
  expect(CLEAR_EMAILS.length).toBeGreaterThan(1_000);
  for (const email of CLEAR_EMAILS) expect(everything).not.toContain(email);
});
