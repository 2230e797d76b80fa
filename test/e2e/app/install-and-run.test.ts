import { installationDelivery } from "../../support/webhooks.js";
import type { RunSummary } from "../../../src/jobs/queue/types.js";
import { APP_ID } from "../../sim/app-fixture.js";
import { INSTALLATION_ID, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("run");
});
afterAll(async () => {
  await h?.close();
});

const summaryIssues = () =>
  h.sim
    .repo(OWNER, REPO)
    .issues.filter((issue) => issue.labels.includes("license-sync") && issue.title.startsWith("License usage"));
const botReplies = (issueNumber: number) =>
  (h.sim.repo(OWNER, REPO).issues.find((issue) => issue.number === issueNumber)?.comments ?? []).filter((c) =>
    c.user.endsWith("[bot]"),
  );

/** Waits until `count` runs have finished; returns them newest first. */
async function finishedRuns(count: number): Promise<RunSummary[]> {
  return waitFor(
    `${count} finished runs`,
    async () => {
      const runs = await h.web.queue.recentRuns(OWNER, 10);
      const finished = runs.filter((run) => run.state === "completed" || run.state === "failed");
      return finished.length >= count ? finished : undefined;
    },
    60_000,
  );
}

test("installing the App upserts one weekly scheduler from .github/license-sync.yml, idempotently", async () => {
  const install = installationDelivery("created", INSTALLATION_ID, OWNER, APP_ID);
  expect((await h.deliver(install)).status).toBe(200);
  const scheduler = await h.inspect.getJobScheduler("weekly-acme");
  expect(scheduler).toMatchObject({ pattern: "0 6 * * 1", tz: "UTC", name: "start-run" });
  expect(scheduler?.template?.data).toEqual({
    enterprise: "acme",
    trigger: "schedule",
    installationId: INSTALLATION_ID,
  });
  const next = await h.web.queue.nextScheduledRun(OWNER);
  expect(next?.getTime()).toBe(scheduler?.next);
  expect(next?.getUTCDay()).toBe(1);
  // A redelivery changes nothing: still one scheduler and one pending weekly job.
  expect((await h.deliver(install)).status).toBe(200);
  expect(await h.inspect.getJobSchedulersCount()).toBe(1);
  expect(await h.inspect.getDelayedCount()).toBe(1);
});

test("/license-sync now runs exactly one run: summary issue posted, command answered", async () => {
  const { issueNumber, answer } = await h.comment("/license-sync now");
  expect(answer.status).toBe(200);
  const [run] = await finishedRuns(1);
  expect(run).toMatchObject({ state: "completed", trigger: "command", requestedBy: "mona" });
  expect(run?.uniqueUsers).toBeGreaterThan(0);
  expect(run?.summaryIssueUrl).toMatch(/\/issues\/\d+$/);

  expect(summaryIssues()).toHaveLength(1);
  expect(summaryIssues()[0]?.body).toContain(run?.runId);
  const replies = botReplies(issueNumber).map((c) => c.body);
  expect(replies).toHaveLength(2);
  expect(replies[0]).toContain(run?.runId);
  expect(replies[1]).toContain(`Run \`${run?.runId}\` finished`);

  // One flow: one start job, one parent, one cloud and two server collections, all completed.
  const names = (await h.inspect.getJobs(["completed"])).map((job) => job.name).sort();
  expect(names).toEqual(["collect-cloud", "collect-server", "collect-server", "reconcile-publish", "start-run"]);
  expect(await h.inspect.getJobCounts("failed", "active", "waiting", "waiting-children")).toEqual({
    failed: 0,
    active: 0,
    waiting: 0,
    "waiting-children": 0,
  });
  // Retries with exponential backoff, trimmed history, progress reported.
  const parent = await h.inspect.getJob(String(run?.runId));
  expect(parent?.opts).toMatchObject({
    attempts: 3,
    backoff: { type: "exponential" },
    removeOnComplete: { count: 200 },
    removeOnFail: { count: 500 },
  });
  expect(parent?.progress).toEqual({ phase: "done" });
  const collected = await h.inspect.getJob(`${run?.runId}-server-0`);
  expect(collected?.opts).toMatchObject({ attempts: 3, continueParentOnFailure: true });
  expect(collected?.progress).toMatchObject({
    phase: "stored",
    hostname: "ghes-a.corp.example",
    accountsRead: expect.any(Number),
  });
  expect(collected?.returnvalue).toMatchObject({
    kind: "server",
    hostname: "ghes-a.corp.example",
    key: expect.stringContaining(String(run?.runId)),
  });
  // The run's stored collections are gone once it is published.
  expect(await h.redis.keys(`${h.prefix}:license-sync:ls:run:*`)).toEqual([]);
});

test("a second run in the same week updates the summary issue instead of opening another", async () => {
  const before = summaryIssues()[0];
  const divergencesBefore = h.sim
    .repo(OWNER, REPO)
    .issues.filter((i) => i.labels.includes("license-sync:divergence")).length;
  await h.comment("/license-sync now", { issueNumber: 1 });
  const [latest] = await finishedRuns(2);
  expect(latest?.state).toBe("completed");
  const after = summaryIssues();
  expect(after).toHaveLength(1);
  expect(after[0]?.number).toBe(before?.number);
  expect(after[0]?.body).toContain(latest?.runId);
  expect(h.sim.repo(OWNER, REPO).issues.filter((i) => i.labels.includes("license-sync:divergence"))).toHaveLength(
    divergencesBefore,
  );
});

test("/license-sync status lists the runs and the next scheduled run", async () => {
  const runs = await h.web.queue.recentRuns(OWNER, 5);
  const { issueNumber } = await h.comment("/license-sync status");
  const reply = await waitFor("the status reply", async () => botReplies(issueNumber).at(-1)?.body);
  expect(reply).toContain(runs[0]?.runId);
});

test("job data, results and Redis keys carry no clear email", async () => {
  const jobs = await h.inspect.getJobs(["completed", "failed", "delayed", "waiting"]);
  const text = JSON.stringify(jobs.map((job) => ({ data: job.data, result: job.returnvalue, progress: job.progress })));
  // Masked emails look like `m***@corp.example`; anything else with an @ would be a leak.
  expect(
    text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/g)?.filter((email) => !email.includes("***@")) ?? [],
  ).toEqual([]);
  for (const key of await h.redis.keys(`${h.prefix}:*`)) {
    const type = await h.redis.type(key);
    const dump =
      type === "string" ? await h.redis.get(key) : type === "hash" ? JSON.stringify(await h.redis.hgetall(key)) : "";
    expect(dump?.match(/[a-z0-9._%+-]+@corp\.example/g)?.filter((email) => !email.includes("***@")) ?? []).toEqual([]);
  }
});

test("/metrics exposes run counters, durations, collection sizes; /healthz and /readyz answer", async () => {
  const metrics = await (await fetch(`${h.web.url}/metrics`)).text();
  expect(metrics).toMatch(/license_sync_runs_started_total\{trigger="command"\} 2/);
  expect(metrics).toMatch(/license_sync_runs_completed_total\{trigger="command"\} 2/);
  expect(metrics).toMatch(/# TYPE license_sync_runs_failed_total counter/);
  expect(metrics).toMatch(/license_sync_run_duration_seconds_count\{trigger="command",outcome="completed"\} 2/);
  expect(metrics).toMatch(
    /license_sync_run_duration_seconds_bucket\{trigger="command",outcome="completed",le="\+Inf"\} 2/,
  );
  expect(metrics).toMatch(/license_sync_accounts_collected_total\{side="server"\} [1-9]\d*/);
  expect(metrics).toMatch(/license_sync_api_requests_total\{side="cloud"\} [1-9]\d*/);
  expect(metrics).toMatch(/# TYPE license_sync_job_failures_total counter/);
  expect(metrics).toMatch(/license_sync_webhooks_total\{event="issue_comment",status="200"\} \d+/);
  expect(metrics).toMatch(/license_sync_redis_up 1/);
  expect(metrics).toMatch(/license_sync_queue_jobs\{state="completed"\} \d+/);
  expect((await fetch(`${h.web.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${h.web.url}/readyz`)).status).toBe(200);
});

test("the weekly scheduler's job runs like a command, without a reply, and the next one is scheduled", async () => {
  const [pending] = await h.inspect.getJobs(["delayed"]);
  expect(pending?.name).toBe("start-run");
  await pending?.promote(); // it is Monday 06:00
  const run = await waitFor(
    "the scheduled run",
    async () => {
      const found = (await h.web.queue.recentRuns(OWNER, 10)).find((r) => r.trigger === "schedule");
      return found?.state === "completed" || found?.state === "failed" ? found : undefined;
    },
    60_000,
  );
  expect(run).toMatchObject({ state: "completed", runId: expect.stringMatching(/^acme-\d{8}T\d{6}Z-weekly$/) });
  expect(summaryIssues()).toHaveLength(1);
  expect(summaryIssues()[0]?.body).toContain(run.runId);
  const next = await h.web.queue.nextScheduledRun(OWNER);
  expect(next?.getTime()).toBeGreaterThan(Date.now());
  expect((await h.inspect.getJobs(["delayed"])).map((j) => j.name)).toEqual(["start-run"]);
});

test("uninstalling removes the weekly scheduler and its pending job", async () => {
  expect((await h.deliver(installationDelivery("deleted", INSTALLATION_ID, OWNER, APP_ID))).status).toBe(200);
  expect(await h.inspect.getJobScheduler("weekly-acme")).toBeUndefined();
  expect(await h.web.queue.nextScheduledRun(OWNER)).toBeNull();
  expect(await h.inspect.getDelayedCount()).toBe(0);
});
