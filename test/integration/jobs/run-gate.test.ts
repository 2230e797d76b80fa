import { claimEnterprise, releaseEnterprise } from "../../../src/jobs/flow/run-gate.js";
import { deploymentConfigSchema } from "../../../src/config/deployment.js";
import { runHoldBoundMs } from "../../../src/jobs/flow/run-bound.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";

const { redis, prefix } = testRedis("gate");
afterAll(() => dropTestRedis(redis, prefix));
const gate = { redis, prefix, graceMs: 1000 };
const jobKey = (runId: string) => `${prefix}:license-sync:${runId}`;

test("a run holds the enterprise while its parent job exists and has not finished", async () => {
  expect(await claimEnterprise(gate, "acme", "r1", 1000)).toBeNull();
  // r1's flow exists and runs: r2 must wait.
  await redis.hset(jobKey("r1"), "name", "reconcile-publish");
  expect(await claimEnterprise(gate, "acme", "r2", 5000)).toBe("r1");
  // Claiming again for the holder itself is fine (a retried start job).
  expect(await claimEnterprise(gate, "acme", "r1", 5000)).toBeNull();
  // r1 finished (completed or failed): r2 may go.
  await redis.hset(jobKey("r1"), "finishedOn", "6000");
  expect(await claimEnterprise(gate, "acme", "r2", 7000)).toBeNull();
});

test("a fresh claim holds for the grace period before its flow exists, then lapses", async () => {
  expect(await claimEnterprise(gate, "globex", "g1", 10_000)).toBeNull();
  expect(await claimEnterprise(gate, "globex", "g2", 10_500)).toBe("g1");
  // g1's start job crashed before adding its flow: after the grace, g2 takes over.
  expect(await claimEnterprise(gate, "globex", "g2", 11_500)).toBeNull();
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
  await redis.hset(jobKey("s1"), "name", "reconcile-publish", "timestamp", "100000");
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
  expect(await claimEnterprise(bounded, "pied-piper", "p1", 0)).toBeNull();
  await redis.hset(jobKey("p1"), "name", "reconcile-publish", "timestamp", "0");
  expect(await claimEnterprise(bounded, "pied-piper", "p2", bounded.maxRunMs - 1)).toBe("p1");
  expect(await claimEnterprise(bounded, "pied-piper", "p2", bounded.maxRunMs)).toBeNull();
});
