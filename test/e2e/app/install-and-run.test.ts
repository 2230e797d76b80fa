import type { Job } from "bullmq";
import { installationDelivery } from "../../support/webhooks.js";
import type { RunSummary } from "../../../src/jobs/queue/types.js";
import { APP_ID } from "../../sim/app-fixture.js";
import { INSTALLATION_ID, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

/**
 * One installation's life, as one ordered scenario: install, a command run, a second run in the
 * same week, status, the weekly scheduler's run, uninstall. Each step builds on the one before
 * (the second run updates the first run's issue; the metrics count both runs), so all steps run
 * in beforeAll and record what they saw; each test checks the record of one step. A test run
 * alone (`-t`) therefore sees the same state as in the whole file.
 */

let h: Harness;

const summaryIssues = () =>
  h.sim
    .repo(OWNER, REPO)
    .issues.filter((issue) => issue.labels.includes("license-sync") && issue.title.startsWith("License usage"))
    .map(({ number, body }) => ({ number, body }));
const divergenceIssueCount = () =>
  h.sim.repo(OWNER, REPO).issues.filter((i) => i.labels.includes("license-sync:divergence")).length;
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

const jobView = (job: Job | undefined) =>
  job && { opts: job.opts, progress: job.progress, returnvalue: job.returnvalue };

async function installStep() {
  const install = installationDelivery("created", INSTALLATION_ID, OWNER, APP_ID);
  const status = (await h.deliver(install)).status;
  const scheduler = await h.inspect.getJobScheduler("weekly-acme");
  const next = await h.web.queue.nextScheduledRun(OWNER);
  // A redelivery changes nothing: still one scheduler and one pending weekly job.
  const redeliveryStatus = (await h.deliver(install)).status;
  return {
    status,
    scheduler,
    next,
    redeliveryStatus,
    schedulers: await h.inspect.getJobSchedulersCount(),
    delayed: await h.inspect.getDelayedCount(),
  };
}

async function firstRunStep() {
  const { issueNumber, answer } = await h.comment("/license-sync now");
  const [run] = await finishedRuns(1);
  return {
    answerStatus: answer.status,
    run,
    summaryIssues: summaryIssues(),
    replies: botReplies(issueNumber).map((c) => c.body),
    completedNames: (await h.inspect.getJobs(["completed"])).map((job) => job.name).sort(),
    counts: await h.inspect.getJobCounts("failed", "active", "waiting", "waiting-children"),
    parent: jobView(await h.inspect.getJob(String(run?.runId))),
    collected: jobView(await h.inspect.getJob(`${run?.runId}-server-0`)),
    runKeys: await h.redis.keys(`${h.prefix}:license-sync:ls:run:*`),
  };
}

async function secondRunStep() {
  const before = summaryIssues()[0];
  const divergencesBefore = divergenceIssueCount();
  await h.comment("/license-sync now", { issueNumber: 1 });
  const [latest] = await finishedRuns(2);
  return { before, divergencesBefore, latest, after: summaryIssues(), divergencesAfter: divergenceIssueCount() };
}

async function statusStep() {
  const runs = await h.web.queue.recentRuns(OWNER, 5);
  const { issueNumber } = await h.comment("/license-sync status");
  const reply = await waitFor("the status reply", async () => botReplies(issueNumber).at(-1)?.body);
  return { runs, reply };
}

async function storedTextStep() {
  const jobs = await h.inspect.getJobs(["completed", "failed", "delayed", "waiting"]);
  const jobText = JSON.stringify(
    jobs.map((job) => ({ data: job.data, result: job.returnvalue, progress: job.progress })),
  );
  const keyDumps: string[] = [];
  for (const key of await h.redis.keys(`${h.prefix}:*`)) {
    const type = await h.redis.type(key);
    const dump =
      type === "string" ? await h.redis.get(key) : type === "hash" ? JSON.stringify(await h.redis.hgetall(key)) : "";
    keyDumps.push(dump ?? "");
  }
  return { jobText, keyDumps };
}

async function endpointsStep() {
  return {
    metrics: await (await fetch(`${h.web.url}/metrics`)).text(),
    healthz: (await fetch(`${h.web.url}/healthz`)).status,
    readyz: (await fetch(`${h.web.url}/readyz`)).status,
  };
}

async function weeklyRunStep() {
  const [pending] = await h.inspect.getJobs(["delayed"]);
  const pendingName = pending?.name;
  await pending?.promote(); // it is Monday 06:00
  const run = await waitFor(
    "the scheduled run",
    async () => {
      const found = (await h.web.queue.recentRuns(OWNER, 10)).find((r) => r.trigger === "schedule");
      return found?.state === "completed" || found?.state === "failed" ? found : undefined;
    },
    60_000,
  );
  const summary = summaryIssues();
  const next = await h.web.queue.nextScheduledRun(OWNER);
  const checkedAt = Date.now();
  const delayedNames = (await h.inspect.getJobs(["delayed"])).map((j) => j.name);
  return { pendingName, run, summary, next, checkedAt, delayedNames };
}

async function uninstallStep() {
  const status = (await h.deliver(installationDelivery("deleted", INSTALLATION_ID, OWNER, APP_ID))).status;
  return {
    status,
    scheduler: await h.inspect.getJobScheduler("weekly-acme"),
    next: await h.web.queue.nextScheduledRun(OWNER),
    delayed: await h.inspect.getDelayedCount(),
  };
}

describe("one installation's life, in order: install, two command runs, status, the weekly run, uninstall", () => {
  let installed: Awaited<ReturnType<typeof installStep>>;
  let first: Awaited<ReturnType<typeof firstRunStep>>;
  let second: Awaited<ReturnType<typeof secondRunStep>>;
  let status: Awaited<ReturnType<typeof statusStep>>;
  let stored: Awaited<ReturnType<typeof storedTextStep>>;
  let endpoints: Awaited<ReturnType<typeof endpointsStep>>;
  let weekly: Awaited<ReturnType<typeof weeklyRunStep>>;
  let uninstalled: Awaited<ReturnType<typeof uninstallStep>>;

  beforeAll(async () => {
    h = await startHarness("run");
    installed = await installStep();
    first = await firstRunStep();
    second = await secondRunStep();
    status = await statusStep();
    stored = await storedTextStep();
    endpoints = await endpointsStep();
    weekly = await weeklyRunStep();
    uninstalled = await uninstallStep();
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  test("installing the App upserts one weekly scheduler from .github/license-sync.yml, idempotently", () => {
    const { scheduler, next } = installed;
    expect(installed.status).toBe(200);
    expect(scheduler).toMatchObject({ pattern: "0 6 * * 1", tz: "UTC", name: "start-run" });
    expect(scheduler?.template?.data).toEqual({
      enterprise: "acme",
      trigger: "schedule",
      installationId: INSTALLATION_ID,
    });
    expect(next?.getTime()).toBe(scheduler?.next);
    expect(next?.getUTCDay()).toBe(1);
    expect(installed.redeliveryStatus).toBe(200);
    expect(installed.schedulers).toBe(1);
    expect(installed.delayed).toBe(1);
  });

  test("/license-sync now runs exactly one run: summary issue posted, command answered", () => {
    const { run, replies } = first;
    expect(first.answerStatus).toBe(200);
    expect(run).toMatchObject({ state: "completed", trigger: "command", requestedBy: "mona" });
    expect(run?.uniqueUsers).toBeGreaterThan(0);
    expect(run?.summaryIssueUrl).toMatch(/\/issues\/\d+$/);

    expect(first.summaryIssues).toHaveLength(1);
    expect(first.summaryIssues[0]?.body).toContain(run?.runId);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain(run?.runId);
    expect(replies[1]).toContain(`Run \`${run?.runId}\` finished`);

    // One flow: one start job, one parent, two cloud and two server collections, all completed.
    expect(first.completedNames).toEqual([
      "collect-cloud",
      "collect-identities",
      "collect-server",
      "collect-server",
      "reconcile-publish",
      "start-run",
    ]);
    expect(first.counts).toEqual({
      failed: 0,
      active: 0,
      waiting: 0,
      "waiting-children": 0,
    });
    // Retries with exponential backoff, trimmed history, progress reported.
    expect(first.parent?.opts).toMatchObject({
      attempts: 3,
      backoff: { type: "exponential" },
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 500 },
    });
    expect(first.parent?.progress).toEqual({ phase: "done" });
    expect(first.collected?.opts).toMatchObject({ attempts: 3, continueParentOnFailure: true });
    expect(first.collected?.progress).toMatchObject({
      phase: "stored",
      hostname: "ghes-a.corp.example",
      accountsRead: expect.any(Number),
    });
    expect(first.collected?.returnvalue).toMatchObject({
      kind: "server",
      hostname: "ghes-a.corp.example",
      key: expect.stringContaining(String(run?.runId)),
    });
    // The run's stored collections are gone once it is published.
    expect(first.runKeys).toEqual([]);
  });

  test("a second run in the same week updates the summary issue instead of opening another", () => {
    const { before, latest, after } = second;
    expect(latest?.state).toBe("completed");
    expect(after).toHaveLength(1);
    expect(after[0]?.number).toBe(before?.number);
    expect(after[0]?.body).toContain(latest?.runId);
    expect(second.divergencesAfter).toBe(second.divergencesBefore);
  });

  test("/license-sync status lists the runs and the next scheduled run", () => {
    expect(status.reply).toContain(status.runs[0]?.runId);
  });

  test("job data, results and Redis keys carry no clear email", () => {
    // Masked emails look like `m***@corp.example`; anything else with an @ would be a leak.
    expect(
      stored.jobText
        .match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/g)
        ?.filter((email) => !email.includes("***@")) ?? [],
    ).toEqual([]);
    for (const dump of stored.keyDumps)
      expect(dump.match(/[a-z0-9._%+-]+@corp\.example/g)?.filter((email) => !email.includes("***@")) ?? []).toEqual([]);
  });

  test("/metrics exposes run counters, durations, collection sizes; /healthz and /readyz answer", () => {
    const { metrics } = endpoints;
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
    expect(endpoints.healthz).toBe(200);
    expect(endpoints.readyz).toBe(200);
  });

  test("the weekly scheduler's job runs like a command, without a reply, and the next one is scheduled", () => {
    const { run } = weekly;
    expect(weekly.pendingName).toBe("start-run");
    expect(run).toMatchObject({ state: "completed", runId: expect.stringMatching(/^acme-\d{8}T\d{6}Z-weekly$/) });
    expect(weekly.summary).toHaveLength(1);
    expect(weekly.summary[0]?.body).toContain(run.runId);
    expect(weekly.next?.getTime()).toBeGreaterThan(weekly.checkedAt);
    expect(weekly.delayedNames).toEqual(["start-run"]);
  });

  test("uninstalling removes the weekly scheduler and its pending job", () => {
    expect(uninstalled.status).toBe(200);
    expect(uninstalled.scheduler).toBeUndefined();
    expect(uninstalled.next).toBeNull();
    expect(uninstalled.delayed).toBe(0);
  });
});
