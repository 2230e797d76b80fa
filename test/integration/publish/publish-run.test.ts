import { toIssueRecord } from "../../../src/publish/issues/issue-reads.js";
import { closeIssue, commentOn } from "../../../src/publish/issues/issue-writes.js";
import { Plan } from "../../../src/publish/plan.js";
import { publishRun } from "../../../src/publish/publish-run.js";
import { renderCommandReply } from "../../../src/publish/command-reply.js";
import type { Divergence } from "../../../src/shared/report.js";
import { mermaidBlocks, parseMermaid } from "../../support/mermaid-parser.js";
import { repoConfig, runRecord, smallReport } from "../../support/record.js";
import { openWithLabel, startHarness, type Harness } from "./harness.js";

const over: Divergence = {
  kind: "over-consumed",
  severity: "critical",
  figures: { purchased: 100, over: 3 },
};
const stale: Divergence = {
  kind: "stale-sync",
  severity: "warning",
  figures: { reason: "stale", lastSync: "2026-11-01" },
  context: { ageDays: 23, staleSyncDays: 8 },
  subject: "ghes-b.corp.example",
};

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

const week48 = (runId: string, divergences: Divergence[] = [over, stale]) =>
  runRecord(smallReport({ divergences }), { runId });
const week49 = (runId: string, divergences: Divergence[] = [over]) =>
  runRecord(smallReport({ divergences }), {
    runId,
    startedAt: "2026-12-01T06:00:00.000Z",
    finishedAt: "2026-12-01T06:02:00.000Z",
  });
const summaries = () => h.issues().filter((i) => i.labels.includes("license-sync"));

describe("the weekly summary issue", () => {
  test("one per ISO week: a re-run updates it; next week's closes it and shows the trend", async () => {
    const first = await publishRun(week48("run-1"), h.target());
    expect(first.summaryIssue).toMatchObject({ number: 1, title: "License usage 2026-W48", action: "created" });
    const again = await publishRun(week48("run-2"), h.target());
    expect(again.summaryIssue).toMatchObject({ number: 1, action: "updated" });
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]?.body).toMatch(/^<!-- license-sync:summary week=2026-W48 enterprise=acme -->\n/);
    expect(summaries()[0]?.body).not.toContain("```mermaid\nxychart-beta");

    const next = await publishRun(week49("run-3"), h.target());
    expect(next.summaryIssue).toMatchObject({ title: "License usage 2026-W49", action: "created" });
    const [old, current] = summaries();
    expect(old).toMatchObject({ state: "closed", title: "License usage 2026-W48" });
    // The hidden marker finds this run's comment again, so a retried publish does not repeat it.
    expect(old?.comments.at(-1)?.body).toBe(
      `Superseded by #${current?.number}, the summary of 2026-W49.\n\n<!-- license-sync:comment run=run-3 -->`,
    );
    expect(current).toMatchObject({ state: "open", labels: ["license-sync"] });
    const blocks = mermaidBlocks(current!.body!);
    expect(blocks.map((b) => b.split("\n")[1] ?? "")).toEqual([
      "xychart-beta",
      "    title Where the 96 seats come from",
    ]);
    expect(current!.body).toContain('x-axis ["2026-W48", "2026-W49"]');
    expect(parseMermaid(blocks).map((r) => r.ok)).toEqual([true, true]);
  });

  test("found by its marker, not its title: a renamed summary is still updated", async () => {
    await publishRun(week48("run-1"), h.target());
    const issue = summaries()[0]!;
    await h.octokit.rest.issues.update({
      owner: "acme",
      repo: "license-admin",
      issue_number: issue.number,
      title: "renamed by someone",
    });
    const result = await publishRun(week48("run-2"), h.target());
    expect(result.summaryIssue).toMatchObject({ number: issue.number, action: "updated" });
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]?.title).toBe("License usage 2026-W48");
  });

  test("the label comes from the repository config and is created when missing", async () => {
    await publishRun(
      week48("run-1"),
      h.target({ config: repoConfig({ labels: { summary: "usage", divergence: "usage:divergence" } }) }),
    );
    expect(h.sim.repo("acme", "license-admin").labels).toEqual(expect.arrayContaining(["usage", "usage:divergence"]));
    expect(h.issues().map((i) => i.labels)).toEqual([["usage"], ["usage:divergence"], ["usage:divergence"]]);
  });
});

describe("two runs racing", () => {
  test.each([0, 1, 3])(
    "leave exactly one open issue per kind and one summary (second run after the first's %i answers)",
    async (answers) => {
      // The second run starts once the first has had `answers` answers from GitHub: an offset
      // in the first run's steps, not in milliseconds, so the machine's load cannot change it.
      let seen = 0;
      let startSecond = () => undefined as void;
      const secondMayStart = new Promise<void>((resolve) => (startSecond = resolve));
      const countAnswer = async () => {
        seen += 1;
        if (seen === answers) startSecond();
      };
      if (answers === 0) startSecond();
      h.octokit.hook.after("request", countAnswer);
      const later = async () => {
        await secondMayStart;
        return publishRun(week48("run-b"), h.target());
      };
      const [a, b] = await Promise.all([publishRun(week48("run-a"), h.target()), later()]).finally(() =>
        h.octokit.hook.remove("request", countAnswer),
      );
      // Started together, both runs find nothing and both open issues: the race really happens.
      if (answers === 0) expect(h.issues().filter((i) => i.state === "closed").length).toBeGreaterThan(0);
      const open = h.issues().filter((i) => i.state === "open");
      expect(open.map((i) => i.title).sort()).toEqual([
        "License usage 2026-W48",
        "[license-sync] License sync stale: ghes-b.corp.example",
        "[license-sync] Seats over-consumed",
      ]);
      for (const closed of h.issues().filter((i) => i.state === "closed")) {
        expect(closed.stateReason).toBe("duplicate");
        expect(closed.comments).toHaveLength(1);
        expect(closed.comments[0]?.body).toMatch(/^Duplicate of #\d+/);
      }
      // Both runs report the issue that stayed.
      expect(a.summaryIssue?.number).toBe(b.summaryIssue?.number);
      expect(a.divergenceIssues.map((d) => d.number)).toEqual(b.divergenceIssues.map((d) => d.number));
    },
  );

  test("duplicates left behind by a run that died are closed by the next one (lowest number stays)", async () => {
    await publishRun(week48("run-1", [over]), h.target());
    const body = openWithLabel(h.issues(), "license-sync:divergence")[0]!.body!;
    await h.octokit.rest.issues.create({
      owner: "acme",
      repo: "license-admin",
      title: "copy",
      body,
      labels: ["license-sync:divergence"],
    });
    const result = await publishRun(week48("run-2", [over]), h.target());
    const open = openWithLabel(h.issues(), "license-sync:divergence");
    expect(open.map((i) => i.number)).toEqual([2]);
    expect(result.divergenceIssues).toEqual([expect.objectContaining({ number: 2, action: "unchanged" })]);
    expect(h.issues().find((i) => i.title === "copy")).toMatchObject({ state: "closed", stateReason: "duplicate" });
  });
});

describe("dry run", () => {
  test("on an empty repository: everything planned, only GET requests", async () => {
    const result = await publishRun(week48("run-dry"), h.target({ dryRun: true }));
    expect(h.sim.requests.length).toBeGreaterThan(0);
    expect(h.sim.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(h.issues()).toEqual([]);
    expect(result).toMatchObject({
      dryRun: true,
      summaryIssue: { number: null, action: "would-create" },
      divergenceIssues: [
        { kind: "over-consumed", action: "would-create" },
        { kind: "stale-sync", subject: "ghes-b.corp.example", action: "would-create" },
      ],
      history: { committed: false },
    });
    // The fixture repository has the `license-sync` label already.
    expect(result.plan).toEqual([
      'Would open issue "License usage 2026-W48"',
      'Would create label "license-sync:divergence"',
      'Would open issue "[license-sync] Seats over-consumed"',
      'Would open issue "[license-sync] License sync stale: ghes-b.corp.example"',
      expect.stringMatching(
        /^Would commit license-usage\/history\/2026\/2026-11-24T060312Z-run-dry\.json \(\d+ bytes\)$/,
      ),
    ]);
    expect(result.posts?.find((p) => p.title === "License usage 2026-W48")?.body).toContain(
      "<!-- license-sync:summary week=2026-W48 enterprise=acme -->",
    );
    const reply = renderCommandReply(week48("run-dry"), result);
    expect(reply).toMatch(/^\*\*Dry run `run-dry` finished: nothing was posted\.\*\*/);
    expect(reply).toContain('- Would open issue "License usage 2026-W48"');
  });

  test("on a repository with issues: updates and closes planned, still only GET requests", async () => {
    await publishRun(week48("run-1"), h.target());
    h.sim.reset();
    const before = h.issues();
    const result = await publishRun(
      week48("run-2", [{ ...over, figures: { purchased: 100, over: 5 } }]),
      h.target({ dryRun: true }),
    );
    expect(h.sim.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(h.issues()).toEqual(before);
    expect(result.divergenceIssues.map((d) => [d.kind, d.action])).toEqual([
      ["over-consumed", "would-update"],
      ["stale-sync", "would-close"],
    ]);
    expect(result.summaryIssue?.action).toBe("would-update");
    expect(result.plan).toEqual(expect.arrayContaining(["Would comment on #2", "Would close #3 as completed"]));
  });
});

test("the command reply: outcome, unique users against GitHub's count, links", async () => {
  const record = week48("run-1");
  const result = await publishRun(record, h.target());
  expect(renderCommandReply(record, result)).toBe(
    [
      "**Run `run-1` finished.** Outcome: 2 divergences open.",
      "",
      "- Unique users, this run: **96**",
      "- Consumed, per GitHub: **100** (4 more than this run)",
      "- Purchased: 120",
      "- Summary: [License usage 2026-W48](https://github.com/acme/license-admin/issues/1) (created)",
      "- Divergence `over-consumed`: [#2](https://github.com/acme/license-admin/issues/2) (created)",
      "- Divergence `stale-sync/ghes-b.corp.example`: [#3](https://github.com/acme/license-admin/issues/3) (created)",
      "",
    ].join("\n"),
  );
});

test("with the production client (throttled), one run publishes the same way", async () => {
  const slow = await startHarness({ fast: false });
  try {
    const result = await publishRun(week48("run-1", [over]), slow.target());
    expect(result.summaryIssue?.action).toBe("created");
    expect(slow.issues().map((i) => i.state)).toEqual(["open", "open"]);
  } finally {
    await slow.close();
  }
});

describe("a retried publish", () => {
  test("comments on an issue once per run: the second attempt finds the first one's comment by its marker", async () => {
    const target = h.target();
    const { data } = await target.octokit.rest.issues.create({
      owner: "acme",
      repo: "license-admin",
      title: "Some divergence",
    });
    const issue = toIssueRecord(data);
    const ctx = (runId: string) => ({
      octokit: target.octokit,
      owner: "acme",
      repo: "license-admin",
      dryRun: false,
      logger: target.logger,
      runId,
      plan: new Plan(),
    });
    await commentOn(ctx("run-7"), issue, "Figures changed in run `run-7`.");
    // The first attempt failed after commenting and before closing: the retry closes, and comments no more.
    await closeIssue(ctx("run-7"), issue, "Figures changed in run `run-7`.", { reason: "completed" });
    await commentOn(ctx("run-8"), issue, "Figures changed in run `run-8`.");
    const [found] = h.issues().filter((i) => i.number === issue.number);
    expect(found?.state).toBe("closed");
    expect(found?.comments.map((c) => c.body.split("\n")[0])).toEqual([
      "Figures changed in run `run-7`.",
      "Figures changed in run `run-8`.",
    ]);
  });
});
