import { call } from "../../sim/http-client.js";
import type { RunSummary } from "../../../src/jobs/queue/types.js";
import { httpRequest } from "./http.js";
import { INSTALLATION_ID, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("failures");
});
afterAll(async () => {
  await h?.close();
});

const lastBotReply = (issueNumber: number) =>
  h.sim
    .repo(OWNER, REPO)
    .issues.find((i) => i.number === issueNumber)
    ?.comments.filter((c) => c.user.endsWith("[bot]"))
    .at(-1)?.body;

async function finished(runId: string): Promise<RunSummary> {
  return waitFor(
    `run ${runId} to finish`,
    async () => {
      const run = (await h.web.queue.recentRuns(OWNER, 10)).find((r) => r.runId === runId);
      return run?.state === "completed" || run?.state === "failed" ? run : undefined;
    },
    30_000,
  );
}

test("an invalid repository config fails the run at its start, without retries, and the reply names the key and the fix", async () => {
  const issue = await call(`${h.sim.url}/repos/${OWNER}/${REPO}/issues`, {
    method: "POST",
    token: "ghp-admin",
    body: { title: "Config" },
  });
  const issueNumber = (issue.json as { number: number }).number;
  h.sim.github.putFile(OWNER, REPO, ".github/license-sync.yml", "thresholds:\n  staleSyncDays: soon\n");
  try {
    // Straight to the queue: the command handler would have refused the command already.
    const { runId } = await h.web.queue.enqueueRun({
      enterprise: OWNER,
      trigger: "command",
      requestedBy: "mona",
      reply: { owner: OWNER, repo: REPO, issueNumber, installationId: INSTALLATION_ID },
    });
    const run = await finished(runId);
    expect(run.state).toBe("failed");
    expect(run.failedReason).toMatch(/thresholds\.staleSyncDays/);
    const reply = await waitFor("the failure reply", async () => lastBotReply(issueNumber));
    expect(reply).toContain("`.github/license-sync.yml` at `thresholds.staleSyncDays`");
    expect(reply).toContain("**What to fix:**");
    expect((await h.inspect.getJob(`${runId}-start`))?.attemptsMade).toBe(1);
    // No flow was added, and the enterprise is free for the next run at once.
    expect(await h.inspect.getJob(runId)).toBeUndefined();
  } finally {
    h.sim.github.putFile(OWNER, REPO, ".github/license-sync.yml", "schedule:\n  cron: '0 6 * * 1'\n");
  }
});

test("a GHES token without site_admin fails the run at its start, before anything is collected; the command gets what to fix", async () => {
  const pats = h.sim.context.tokens.pats;
  const original = pats.get("ghp-site-admin");
  pats.set("ghp-site-admin", { ...original!, scopes: ["repo"] });
  try {
    const { issueNumber } = await h.comment("/license-sync now");
    const runId =
      /run `([^`]+)`/.exec((await waitFor("the queued reply", async () => lastBotReply(issueNumber))) ?? "")?.[1] ?? "";
    const run = await finished(runId);
    expect(run.state).toBe("failed");
    expect(run.failedReason).toMatch(
      /servers\[0\]\.token lacks site_admin \(the all_users report and license of ghes-a\.corp\.example\)/,
    );
    const reply = await waitFor("the failure reply", async () => {
      const body = lastBotReply(issueNumber);
      return body?.includes("could not run") ? body : undefined;
    });
    expect(reply).toContain(runId);
    expect(reply).toContain("lacks site_admin");
    expect(reply).toContain("**What to fix:** Add the scopes");
    // Unrecoverable and early: the start job tried once, no flow (so no collection) was added.
    expect((await h.inspect.getJob(`${runId}-start`))?.attemptsMade).toBe(1);
    expect(await h.inspect.getJob(runId)).toBeUndefined();
    const metrics = (await httpRequest(`${h.web.url}/metrics`)).body;
    expect(metrics).toMatch(/license_sync_runs_failed_total\{trigger="command"\} [12]/);
    expect(metrics).toMatch(/license_sync_job_failures_total\{job="start-run",kind="input"\} [1-9]/);
  } finally {
    pats.set("ghp-site-admin", original!);
  }
});
