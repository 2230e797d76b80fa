import { holdReport } from "./held-report.js";
import { HOSTS, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

const held = holdReport({ holdFirst: 1, host: HOSTS[0] });
let h: Harness;
beforeAll(async () => {
  h = await startHarness("requesters", { workers: 2, simulator: { routes: [held.route] } });
});
afterAll(async () => {
  held.release();
  await h?.close();
});

/** The bot's comments on an issue, oldest first. */
function botComments(issueNumber: number): string[] {
  const issue = h.sim.repo(OWNER, REPO).issues.find((i) => i.number === issueNumber);
  return (issue?.comments ?? []).filter((c) => c.user.endsWith("[bot]")).map((c) => c.body);
}

/** The run id the queued reply on an issue names. */
function queuedRunId(issueNumber: number): string {
  const queued = botComments(issueNumber).find((body) => /queued/.test(body)) ?? "";
  return /run `([^`]+)`/.exec(queued)?.[1] ?? "?";
}

test("every requester is answered on their own issue, and a real request never joins a pending dry run", async () => {
  // A first run holds the enterprise, so the next requests stay pending and deduplicate.
  const first = await h.comment("/license-sync now");
  await held.reached;

  const dryA = await h.comment("/license-sync now --dry-run");
  const real = await h.comment("/license-sync now");
  const dryB = await h.comment("/license-sync now --dry-run");
  const realAgain = await h.comment("/license-sync now");
  for (const request of [dryA, real, dryB, realAgain]) expect(request.answer.status).toBe(200);

  const dryRun = queuedRunId(dryA.issueNumber);
  const realRun = queuedRunId(real.issueNumber);
  expect(dryRun).not.toBe(realRun);
  expect(queuedRunId(dryB.issueNumber)).toBe(dryRun);
  expect(queuedRunId(realAgain.issueNumber)).toBe(realRun);
  expect(botComments(dryB.issueNumber).join("\n")).toContain("your request joins it");

  held.release();
  const finished = (issueNumber: number) => botComments(issueNumber).find((body) => /finished/.test(body));
  await waitFor(
    "every requester's reply",
    async () => ([first, dryA, real, dryB, realAgain].every((r) => finished(r.issueNumber)) ? true : undefined),
    90_000,
  );

  // Each issue: its own reply, once, for the run it asked for, in the mode it asked for.
  for (const [request, runId, dry] of [
    [dryA, dryRun, true],
    [dryB, dryRun, true],
    [real, realRun, false],
    [realAgain, realRun, false],
  ] as const) {
    const replies = botComments(request.issueNumber).filter((body) => /finished/.test(body));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(
      dry ? `**Dry run \`${runId}\` finished: nothing was posted.**` : `**Run \`${runId}\` finished.**`,
    );
  }
  // The replies are posted before each run's parent job is marked done: wait for the three runs
  // to leave the active state, then count (asserting at once raced the last run's completion).
  const runs = await waitFor(
    "the three runs to end",
    async () => {
      const recent = await h.web.queue.recentRuns(OWNER, 10);
      return recent.length >= 3 && recent.every((r) => r.state === "completed" || r.state === "failed")
        ? recent
        : undefined;
    },
    30_000,
  );
  expect(runs.filter((r) => r.state === "completed")).toHaveLength(3);
});
