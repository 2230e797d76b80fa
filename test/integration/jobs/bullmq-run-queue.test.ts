import { Queue } from "bullmq";
import { BullmqRunQueue } from "../../../src/jobs/queue/bullmq-run-queue.js";
import { QUEUE_NAME } from "../../../src/jobs/queue/names.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";

const { redis, prefix } = testRedis("queue");
const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
const runs = new BullmqRunQueue({ queue, redis, prefix });
beforeAll(() => queue.waitUntilReady());
afterAll(async () => {
  await queue.close();
  await dropTestRedis(redis, prefix);
});

test("concurrent requests while none is pending make one start job; all join its run", async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      runs.enqueueRun({ enterprise: "acme", trigger: "command", requestedBy: `u${i}` }),
    ),
  );
  expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
  expect(new Set(results.map((r) => r.runId)).size).toBe(1);
  expect(results[0]?.runId).toMatch(/^acme-\d{8}T\d{6}Z-[a-z0-9]{5}$/);
  const jobs = await queue.getJobs(["waiting"]);
  expect(jobs.map((j) => j.name)).toEqual(["start-run"]);
  expect(await runs.recentRuns("acme", 5)).toEqual([
    { runId: results[0]?.runId, trigger: "command", state: "waiting", requestedBy: expect.stringMatching(/^u\d+$/) },
  ]);
  // Another enterprise is independent.
  expect((await runs.enqueueRun({ enterprise: "globex", trigger: "command" })).deduplicated).toBe(false);
});

test("upsertSchedule is idempotent, follows a changed cron and time zone, and removeSchedule drops it", async () => {
  await runs.upsertSchedule("acme", { cron: "0 6 * * 1", timezone: "Europe/Berlin" }, 11);
  await runs.upsertSchedule("acme", { cron: "0 6 * * 1", timezone: "Europe/Berlin" }, 11);
  expect(await queue.getJobSchedulersCount()).toBe(1);
  const next = await runs.nextScheduledRun("acme");
  // Monday 06:00 in Berlin is 05:00 or 04:00 UTC.
  expect(next?.getUTCDay()).toBe(1);
  expect([4, 5]).toContain(next?.getUTCHours());
  await runs.upsertSchedule("acme", { cron: "30 7 * * 3", timezone: "UTC" }, 11);
  expect(await queue.getJobSchedulersCount()).toBe(1);
  const moved = await runs.nextScheduledRun("acme");
  expect([moved?.getUTCDay(), moved?.getUTCHours(), moved?.getUTCMinutes()]).toEqual([3, 7, 30]);
  // status reads the scheduler in effect: its cron and time zone beside the next run.
  expect(await runs.scheduledRun("acme")).toEqual({ next: moved, cron: "30 7 * * 3", timezone: "UTC" });
  expect((await queue.getJobs(["delayed"])).filter((j) => j.name === "start-run")).toHaveLength(1);
  await runs.removeSchedule("acme");
  expect(await runs.nextScheduledRun("acme")).toBeNull();
  expect(await runs.scheduledRun("acme")).toBeNull();
  expect(await queue.getDelayedCount()).toBe(0);
  await runs.removeSchedule("acme"); // removing twice is fine
});
