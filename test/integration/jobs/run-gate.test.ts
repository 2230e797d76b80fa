import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { claimEnterprise, releaseEnterprise, type RunGateOptions } from "../../../src/jobs/flow/run-gate.js";
import { deploymentConfigSchema } from "../../../src/config/deployment.js";
import { QUEUE_NAME } from "../../../src/jobs/queue/names.js";
import { runHoldBoundMs } from "../../../src/jobs/flow/run-bound.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";

const { redis, prefix } = testRedis("gate");
const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
// A worker's connection must not give up on blocking commands; it takes jobs by hand only.
const workerConnection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const worker = new Worker(QUEUE_NAME, null, { connection: workerConnection, prefix, autorun: false });
afterAll(async () => {
  await worker.close();
  await queue.close();
  await workerConnection.quit();
  await dropTestRedis(redis, prefix);
});
const gate: RunGateOptions = { redis, prefix, queue, graceMs: 1000 };

/** Adds run `runId`'s parent job (the flow's state is the run's), created at `timestamp`. */
const addParent = (runId: string, timestamp: number) =>
  queue.add("reconcile-publish", {}, { jobId: runId, timestamp, removeOnComplete: false, removeOnFail: false });
/** Takes the waiting job `runId` as a worker would and ends it. */
async function finish(runId: string, outcome: "completed" | "failed"): Promise<void> {
  const taken: Job[] = [];
  try {
    for (;;) {
      const job = await worker.getNextJob(`token-${runId}`, { block: false });
      if (!job) throw new Error(`job ${runId} is not waiting`);
      if (job.id === runId) {
        if (outcome === "completed") await job.moveToCompleted("done", `token-${runId}`, false);
        else await job.moveToFailed(new Error("collect failed"), `token-${runId}`, false);
        return;
      }
      taken.push(job);
    }
  } finally {
    // Others taken on the way go back to waiting, untouched.
    for (const job of taken) await job.moveToWait(`token-${runId}`);
  }
}

test("a run holds the enterprise while its parent job exists and has not finished", async () => {
  expect(await claimEnterprise(gate, "acme", "r1", 1000)).toBeNull();
  // r1's flow exists and runs: r2 must wait.
  await addParent("r1", 1000);
  expect(await claimEnterprise(gate, "acme", "r2", 5000)).toBe("r1");
  // Claiming again for the holder itself is fine (a retried start job).
  expect(await claimEnterprise(gate, "acme", "r1", 5000)).toBeNull();
  // r1 finished (completed or failed): r2 may go.
  await finish("r1", "completed");
  expect(await claimEnterprise(gate, "acme", "r2", 7000)).toBeNull();
});

test("a failed run frees the enterprise like a completed one", async () => {
  expect(await claimEnterprise(gate, "umbrella", "u1", 1000)).toBeNull();
  await addParent("u1", 1000);
  expect(await claimEnterprise(gate, "umbrella", "u2", 5000)).toBe("u1");
  await finish("u1", "failed");
  expect(await claimEnterprise(gate, "umbrella", "u2", 7000)).toBeNull();
  // The new holder holds in turn.
  expect(await claimEnterprise(gate, "umbrella", "u3", 7100)).toBe("u2");
});

test("a fresh claim holds for the grace period before its flow exists, then lapses", async () => {
  expect(await claimEnterprise(gate, "globex", "g1", 10_000)).toBeNull();
  expect(await claimEnterprise(gate, "globex", "g2", 10_500)).toBe("g1");
  // g1's start job crashed before adding its flow: after the grace, g2 takes over.
  expect(await claimEnterprise(gate, "globex", "g2", 11_500)).toBeNull();
});

test("two runs claiming at once: exactly one gets the enterprise, the other learns who holds it", async () => {
  const answers = await Promise.all(
    ["c1", "c2", "c3", "c4"].map((runId) => claimEnterprise(gate, "cyberdyne", runId, 30_000)),
  );
  const winners = ["c1", "c2", "c3", "c4"].filter((_, index) => answers[index] === null);
  expect(winners).toHaveLength(1);
  expect(answers.filter((answer) => answer !== null)).toEqual(Array(3).fill(winners[0]));
});

test("a released claim frees the enterprise at once; only the holder can release", async () => {
  expect(await claimEnterprise(gate, "initech", "i1", 20_000)).toBeNull();
  await releaseEnterprise(gate, "initech", "someone-else");
  expect(await claimEnterprise(gate, "initech", "i2", 20_100)).toBe("i1");
  await releaseEnterprise(gate, "initech", "i1");
  expect(await claimEnterprise(gate, "initech", "i2", 20_200)).toBeNull();
});

test("a run stuck for longer than the longest run stops holding the enterprise", async () => {
  const short = { ...gate, maxRunMs: 60_000 };
  expect(await claimEnterprise(short, "hooli", "s1", 100_000)).toBeNull();
  await addParent("s1", 100_000);
  expect(await claimEnterprise(short, "hooli", "s2", 150_000)).toBe("s1");
  expect(await claimEnterprise(short, "hooli", "s2", 170_000)).toBeNull();
});

test("the longest hold follows the configured deadlines, so a hung run frees the enterprise after a bound the settings set", async () => {
  const config = (timeouts: object, collect: object = {}) =>
    deploymentConfigSchema.parse({
      enterprise: "acme",
      cloud: { token: "t" },
      adminRepository: "acme/license-admin",
      timeouts,
      collect,
    });
  const defaults = runHoldBoundMs(config({}));
  expect(defaults).toBeGreaterThan(0);
  expect(defaults).toBeLessThan(24 * 3600 * 1000);
  // Each collection try may take a report deadline, a download and its API calls longer.
  expect(runHoldBoundMs(config({ reportSeconds: 7200 }))).toBeGreaterThan(defaults);
  expect(runHoldBoundMs(config({}, { reportDeadlineSeconds: 60 }))).toBeLessThan(defaults);
  const bounded = {
    ...gate,
    maxRunMs: runHoldBoundMs(config({ reportSeconds: 1, requestSeconds: 1 }, { reportDeadlineSeconds: 10 })),
  };
  // Created at 1 ms (BullMQ takes a timestamp of 0 for "now").
  expect(await claimEnterprise(bounded, "pied-piper", "p1", 1)).toBeNull();
  await addParent("p1", 1);
  expect(await claimEnterprise(bounded, "pied-piper", "p2", 1 + bounded.maxRunMs - 1)).toBe("p1");
  expect(await claimEnterprise(bounded, "pied-piper", "p2", 1 + bounded.maxRunMs)).toBeNull();
});
