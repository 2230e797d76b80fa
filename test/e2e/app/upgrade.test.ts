import { FlowProducer, type FlowJob } from "bullmq";
import { runFlow } from "../../../src/jobs/flow/run-flow.js";
import type { ReconcileData, RunResult } from "../../../src/jobs/queue/job-data.js";
import { JOB } from "../../../src/jobs/queue/names.js";
import { HOSTS, OWNER, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
let producer: FlowProducer;
beforeAll(async () => {
  h = await startHarness("upgrade");
  producer = new FlowProducer({ connection: h.redis, prefix: h.prefix });
});
afterAll(async () => {
  await producer?.close();
  await h?.close();
});

/** The parent's end state and result once it is done. */
async function finished(runId: string): Promise<{ state: string; result: RunResult | undefined; reason: string }> {
  return waitFor(
    `run ${runId} to finish`,
    async () => {
      const state = await (await h.inspect.getJob(runId))?.getState();
      if (state !== "completed" && state !== "failed") return undefined;
      // Read again once the state is final: a job read before it failed carries no reason yet.
      const job = await h.inspect.getJob(runId);
      return { state, result: job?.returnvalue as RunResult | undefined, reason: job?.failedReason ?? "" };
    },
    90_000,
  );
}

/**
 * The flow as versions before `collect-identities` added it: no such child, no `identitiesJob`
 * in the data. Such a flow may still wait in Redis when the workers are upgraded.
 */
function previousShape(flow: FlowJob): FlowJob {
  const withoutFlag = (data: unknown) => {
    const { identitiesJob: _flag, ...rest } = data as { identitiesJob?: boolean };
    return rest;
  };
  return {
    ...flow,
    data: withoutFlag(flow.data),
    children: flow
      .children!.filter((child) => child.name !== JOB.collectIdentities)
      .map((child) => ({
        ...child,
        data: withoutFlag(child.data),
      })),
  };
}

test("a run added by the previous version (no identities job) is collected with its identities and counts the same", async () => {
  await h.comment("/license-sync now");
  const current = await waitFor(
    "the run to finish",
    async () => {
      const [latest] = await h.web.queue.recentRuns(OWNER, 1);
      return latest?.state === "completed" || latest?.state === "failed" ? latest : undefined;
    },
    90_000,
  );
  expect(current.state).toBe("completed");
  const { run, repoConfig } = (await h.inspect.getJob(current.runId))!.data as ReconcileData;
  const uniqueUsers = ((await h.inspect.getJob(current.runId))!.returnvalue as RunResult).uniqueUsers;

  const runId = `${current.runId}-previous`;
  const flow = runFlow({ run: { ...run, runId, dryRun: true }, repoConfig, hostnames: HOSTS });
  await producer.add(previousShape(flow));
  const previous = await finished(runId);
  expect(previous.reason).toBe("");
  expect(previous.state).toBe("completed");
  // Without its identities the run would match fewer people and count more.
  expect(previous.result?.uniqueUsers).toBe(uniqueUsers);
  expect(await h.inspect.getJob(`${runId}-identities`)).toBeUndefined();
});

test("a run whose identities job left no collection fails rather than publish a count without identities", async () => {
  const [latest] = await h.web.queue.recentRuns(OWNER, 1);
  const { run, repoConfig } = (await h.inspect.getJob(latest!.runId))!.data as ReconcileData;
  const runId = `${latest!.runId}-no-identities`;
  const flow = runFlow({ run: { ...run, runId, dryRun: true }, repoConfig, hostnames: HOSTS });
  // The parent says the flow has the identities job, but the child is gone (a foreign edit of the
  // flow, a lost collection): reconcile must not take the cloud collection's empty list as whole.
  await producer.add({ ...flow, children: flow.children!.filter((child) => child.name !== JOB.collectIdentities) });
  const done = await finished(runId);
  expect(done.state).toBe("failed");
  expect(done.reason).toMatch(/no collection of the GHEC identities/);
});
