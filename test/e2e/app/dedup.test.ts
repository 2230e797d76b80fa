import { call } from "../../sim/http-client.js";
import { holdReport } from "./held-report.js";
import { HOSTS, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

const held = holdReport({ holdFirst: 1, host: HOSTS[0] });
let h: Harness;
beforeAll(async () => {
  h = await startHarness("dedup", { workers: 2, simulator: { routes: [held.route] } });
});
afterAll(async () => {
  held.release();
  await h?.close();
});

/** Posts `count` `/license-sync now` comments on one issue, all webhooks in flight at once. */
async function burst(count: number, issueNumber: number): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: count }, () => h.comment("/license-sync now", { issueNumber })),
  );
  return answers.map((a) => a.answer.status);
}

/** Run ids named in the bot's replies to commands on the issue. */
function repliedRunIds(issueNumber: number): string[] {
  const comments = h.sim.repo(OWNER, REPO).issues.find((i) => i.number === issueNumber)?.comments ?? [];
  return comments
    .filter((c) => c.user.endsWith("[bot]") && /queued/.test(c.body))
    .map((c) => /run `([^`]+)`/.exec(c.body)?.[1] ?? "?");
}

async function pendingStartJobs(): Promise<number> {
  const jobs = await h.inspect.getJobs(["waiting", "delayed", "active", "prioritized"]);
  return jobs.filter((job) => job.name === "start-run").length;
}

test("a burst of commands yields one run; a burst during that run yields at most one more", async () => {
  const issue = await call(`${h.sim.url}/repos/${OWNER}/${REPO}/issues`, {
    method: "POST",
    token: "ghp-admin",
    body: { title: "Runs" },
  });
  const issueNumber = (issue.json as { number: number }).number;

  // 20 at once while nothing runs: one run, every request joins it.
  expect(await burst(20, issueNumber)).toEqual(Array(20).fill(200));
  const first = repliedRunIds(issueNumber);
  expect(first).toHaveLength(20);
  expect(new Set(first).size).toBe(1);

  // The run is now collecting (one GHES report held open).
  await held.reached;
  const active = await h.web.queue.recentRuns(OWNER, 5);
  expect(active.map((r) => r.state)).toEqual(["active"]);

  // 20 more while it runs: exactly one more run is queued, and it waits.
  expect(await burst(20, issueNumber)).toEqual(Array(20).fill(200));
  const second = repliedRunIds(issueNumber).slice(20);
  expect(second).toHaveLength(20);
  expect(new Set(second).size).toBe(1);
  expect(second[0]).not.toBe(first[0]);
  // A few polls of the waiting start job: each one takes it (processedOn moves) and puts it back.
  const polledAt = new Set<number>();
  await waitFor("three polls of the waiting start job", async () => {
    const processedOn = (await h.inspect.getJob(`${second[0]}-start`))?.processedOn;
    if (processedOn) polledAt.add(processedOn);
    return polledAt.size >= 3 ? true : undefined;
  });
  expect(await pendingStartJobs()).toBe(1);
  const parents = (await h.inspect.getJobs(["waiting-children", "active", "waiting", "completed"])).filter(
    (j) => j.name === "reconcile-publish",
  );
  expect(parents.map((j) => j.id)).toEqual([first[0]]);
  expect((await h.web.queue.recentRuns(OWNER, 5)).map((r) => [r.runId, r.state])).toEqual([
    [second[0], "waiting"],
    [first[0], "active"],
  ]);

  // Both runs complete, one after the other.
  held.release();
  const runs = await waitFor(
    "both runs to finish",
    async () => {
      const all = await h.web.queue.recentRuns(OWNER, 5);
      return all.length === 2 && all.every((r) => r.state === "completed") ? all : undefined;
    },
    60_000,
  );
  expect(runs.map((r) => r.runId)).toEqual([second[0], first[0]]);
  expect(Date.parse(runs[0]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(runs[1]!.finishedAt!));
  const completed = await h.inspect.getJobs(["completed"]);
  expect(completed.filter((j) => j.name === "reconcile-publish")).toHaveLength(2);
  expect(completed.filter((j) => j.name === "start-run")).toHaveLength(2);
});
