import { parseMarker } from "../../../src/publish/issues/markers.js";
import { publishRun } from "../../../src/publish/publish-run.js";
import type { Divergence } from "../../../src/shared/report.js";
import type { IssueView } from "../../sim/server.js";
import { repoConfig, runRecord, smallReport } from "../../support/record.js";
import { openWithLabel, startHarness, type Harness } from "./harness.js";
import { orderedSteps } from "../../support/ordered-steps.js";

const LABEL = "license-sync:divergence";
const A = "ghes-a.corp.example";
const B = "ghes-b.corp.example";

/** Every kind, with per-instance kinds on their hosts; `bump` changes every figure set. */
function divergences(bump = 0): Divergence[] {
  return [
    {
      kind: "over-consumed",
      severity: "critical",
      figures: { purchased: 100, consumedReported: 103 + bump, uniqueUsers: 96, over: 3 + bump },
    },
    {
      kind: "near-limit",
      severity: "warning",
      figures: { purchased: 100, consumed: 96 + bump, available: 4 - bump, utilizationPercent: String(96 + bump) },
      context: { utilizationWarning: 0.9 },
    },
    {
      kind: "unique-count-mismatch",
      severity: "warning",
      figures: { uniqueUsers: 96, consumedReported: 103 + bump, difference: -7 - bump, "reason.noEmail": 1 },
    },
    {
      kind: "stale-sync",
      severity: "warning",
      figures: { reason: "stale", lastSync: `2026-11-0${1 + bump}`, status: "success", error: "", collected: "yes" },
      context: { ageDays: 23 - bump, staleSyncDays: 8 },
      subject: A,
    },
    {
      kind: "stale-sync",
      severity: "critical",
      figures: {
        reason: "failed",
        lastSync: "2026-11-20",
        status: "failed",
        error: bump ? "boom again" : "boom",
        collected: "yes",
      },
      context: { ageDays: 4, staleSyncDays: 8 },
      subject: B,
    },
    {
      kind: "server-count-mismatch",
      severity: "warning",
      figures: { billableAccounts: 36, githubRows: 30 + bump, difference: 6 - bump, persons: 35 },
      context: { serverCountTolerance: 0 },
      subject: A,
    },
    {
      kind: "license-expiring",
      severity: "warning",
      figures: { reason: "expiring", expiresOn: `2026-12-1${bump}`, seats: "120", purchased: 100 },
      context: { daysLeft: 16 + bump, licenseExpiryDays: 30 },
      subject: B,
    },
  ];
}
const KEYS = divergences().map((d) => (d.subject ? `${d.kind}/${d.subject}` : d.kind));
const keyOf = (issue: IssueView) => {
  const m = parseMarker(issue.body);
  return m?.fields.subject ? `${m.fields.kind}/${m.fields.subject}` : (m?.fields.kind ?? "");
};

let h: Harness;
const config = repoConfig({ assignees: ["mona"] });
const run = (runId: string, found: Divergence[]) =>
  publishRun(runRecord(smallReport({ divergences: found }), { runId }), h.target({ config }));
const divergenceIssues = () => h.issues().filter((i) => i.labels.includes(LABEL));
const openByKey = () => new Map(openWithLabel(h.issues(), LABEL).map((i) => [keyOf(i), i]));

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe("one issue per divergence kind (and instance), through its whole life", () => {
  let first: Map<string, IssueView>;
  // One ordered scenario: each test reaches its step (running those before it once), so a test
  // run alone sees the state it would see after the tests before it.
  const scenario = orderedSteps({
    appears: async () => {
      const labelledBefore = h.sim.repo("acme", "license-admin").labels.includes(LABEL);
      const result = await run("run-1", divergences());
      first = openByKey();
      return { labelledBefore, result };
    },
    lasts: () => run("run-2", divergences()),
    updates: () => run("run-3", divergences(1)),
    resolves: () =>
      run(
        "run-4",
        divergences(1).filter((d) => d.kind === "stale-sync" && d.subject === B),
      ),
    returns: async () => {
      const before = Math.max(...h.issues().map((i) => i.number));
      return { before, result: await run("run-5", divergences(1)) };
    },
  });

  test("appears: an issue per kind and subject, labelled, assigned, found by its marker", async () => {
    const { labelledBefore, result } = await scenario.reach("appears");
    expect(labelledBefore).toBe(false);
    expect(result.divergenceIssues.map((d) => d.action)).toEqual(KEYS.map(() => "created"));
    expect([...first.keys()].sort()).toEqual([...KEYS].sort());
    expect(h.sim.repo("acme", "license-admin").labels).toContain(LABEL);
    for (const issue of first.values()) {
      expect(issue).toMatchObject({ labels: [LABEL], assignees: ["mona"], user: "license-sync[bot]", comments: [] });
      expect(issue.body!.split("\n")[0]).toMatch(
        /^<!-- license-sync:divergence kind=[a-z-]+( subject=[a-z.-]+)? enterprise=acme -->$/,
      );
    }
    expect(first.get(`stale-sync/${B}`)).toMatchObject({ title: `[license-sync] License sync stale: ${B}` });
    expect(first.get(`stale-sync/${B}`)?.body).toContain("| Sync error | boom |");
    expect(first.get("over-consumed")?.body).toMatch(/> \[!CAUTION\][\s\S]*\| Seats over \| 3 \|/);
  });

  test("lasts unchanged: no write to its issue, no comment", async () => {
    const result = await scenario.reach("lasts");
    expect(result.divergenceIssues.map((d) => d.action)).toEqual(KEYS.map(() => "unchanged"));
    for (const [key, issue] of openByKey()) expect(issue).toEqual(first.get(key));
  });

  test("updates: body rewritten and one short comment naming what moved", async () => {
    const result = await scenario.reach("updates");
    expect(result.divergenceIssues.map((d) => d.action)).toEqual(KEYS.map(() => "updated"));
    const now = openByKey();
    for (const [key, issue] of now) {
      expect(issue.number).toBe(first.get(key)?.number);
      expect(issue.comments).toHaveLength(1);
      expect(issue.comments[0]?.body).toMatch(/^Figures changed in run `run-3`: /);
      expect(issue.body).toContain("figures last changed in run `run-3`");
    }
    const marked = (text: string) => `${text}\n\n<!-- license-sync:comment run=run-3 -->`;
    expect(now.get("over-consumed")?.comments[0]?.body).toBe(
      marked("Figures changed in run `run-3`: Consumed, per GitHub 103 → 104; Seats over 3 → 4."),
    );
    expect(now.get(`stale-sync/${B}`)?.comments[0]?.body).toBe(
      marked("Figures changed in run `run-3`: Sync error boom → boom again."),
    );
    expect(now.get("over-consumed")?.body).toContain("| Seats over | 4 |");
  });

  test("resolves: closed with a comment; a lasting per-instance issue of the same kind stays open", async () => {
    const result = await scenario.reach("resolves");
    const closed = result.divergenceIssues.filter((d) => d.action === "closed");
    expect(closed).toHaveLength(KEYS.length - 1);
    expect([...openByKey().keys()]).toEqual([`stale-sync/${B}`]);
    for (const [key, issue] of first) {
      if (key === `stale-sync/${B}`) continue;
      const now = h.issues().find((i) => i.number === issue.number)!;
      expect(now).toMatchObject({ state: "closed", stateReason: "completed" });
      expect(now.comments.at(-1)?.body).toMatch(
        /^Resolved: run `run-4` on 2026-11-24 no longer detects this divergence\./,
      );
    }
  });

  test("returns: a new issue that links the closed one; never two open", async () => {
    const { before, result } = await scenario.reach("returns");
    const open = openByKey();
    expect(openWithLabel(h.issues(), LABEL)).toHaveLength(KEYS.length);
    for (const key of KEYS) {
      const issue = open.get(key)!;
      if (key === `stale-sync/${B}`) {
        expect(issue.number).toBe(first.get(key)?.number);
        continue;
      }
      expect(issue.number).toBeGreaterThan(before);
      expect(issue.body).toContain(`it follows #${first.get(key)?.number}, closed when it resolved`);
      expect(result.divergenceIssues.find((d) => (d.subject ? `${d.kind}/${d.subject}` : d.kind) === key)?.action).toBe(
        "created",
      );
    }
    expect(divergenceIssues()).toHaveLength(KEYS.length * 2 - 1);
  });

  test("the week's summary was updated by every run, never duplicated, and links the open issues", async () => {
    await scenario.reach("returns");
    const summaries = h.issues().filter((i) => i.labels.includes("license-sync"));
    expect(summaries).toHaveLength(1);
    for (const issue of openByKey().values())
      expect(summaries[0]?.body).toContain(
        `[#${issue.number}](https://github.com/acme/license-admin/issues/${issue.number})`,
      );
    expect(Object.keys(h.files()).filter((p) => p.startsWith("license-usage/history/2026/"))).toHaveLength(5);
  });
});
