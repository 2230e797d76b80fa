import { publicationTime, storedRunResult, storeRunResult } from "../../../src/jobs/store/publication.js";
import { runKeys } from "../../../src/jobs/queue/names.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";

const { redis, prefix } = testRedis("publication");
afterAll(() => dropTestRedis(redis, prefix));

test("the first attempt fixes the publication time; later attempts get the same", async () => {
  const first = await publicationTime(redis, prefix, "run-1", new Date("2026-11-30T06:00:00Z"));
  const retried = await publicationTime(redis, prefix, "run-1", new Date("2026-12-07T00:00:01Z"));
  expect(first.toISOString()).toBe("2026-11-30T06:00:00.000Z");
  expect(retried.toISOString()).toBe("2026-11-30T06:00:00.000Z");
  // Another run has its own.
  expect((await publicationTime(redis, prefix, "run-2", new Date("2026-12-07T00:00:01Z"))).toISOString()).toBe(
    "2026-12-07T00:00:01.000Z",
  );
});

test("a completed run's result is read back; nothing, or something unreadable, is null", async () => {
  const result = {
    runId: "run-1",
    uniqueUsers: 12,
    summaryIssueUrl: "https://github.com/acme/license-admin/issues/3",
    summaryIssueNumber: 3,
    dryRun: false,
    finishedAt: "2026-11-30T06:00:00.000Z",
  };
  expect(await storedRunResult(redis, prefix, "run-1")).toBeNull();
  await storeRunResult(redis, prefix, result);
  expect(await storedRunResult(redis, prefix, "run-1")).toEqual(result);
  await redis.set(runKeys.result(prefix, "run-3"), "{not json");
  expect(await storedRunResult(redis, prefix, "run-3")).toBeNull();
});
