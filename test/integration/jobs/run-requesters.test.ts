import { addRequester, requestersOf } from "../../../src/jobs/store/requesters.js";
import { runKeys } from "../../../src/jobs/queue/names.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";

const { redis, prefix } = testRedis("requesters");
afterAll(() => dropTestRedis(redis, prefix));

const on = (issueNumber: number) => ({ owner: "acme", repo: "license-admin", issueNumber, installationId: 11 });

test("the first requester, then each joiner's issue once; unreadable members are skipped", async () => {
  await addRequester(redis, prefix, "run-1", on(7));
  await addRequester(redis, prefix, "run-1", on(5));
  await addRequester(redis, prefix, "run-1", on(7));
  await addRequester(redis, prefix, "run-1", on(3));
  await redis.sadd(runKeys.requesters(prefix, "run-1"), "not json", JSON.stringify(["acme", "license-admin", -1, 11]));
  expect(await requestersOf(redis, prefix, { runId: "run-1", reply: on(5) })).toEqual([on(5), on(3), on(7)]);
  expect(await requestersOf(redis, prefix, { runId: "run-1" })).toEqual([on(3), on(5), on(7)]);
  expect(await requestersOf(redis, prefix, { runId: "run-2" })).toEqual([]);
  expect(await redis.ttl(runKeys.requesters(prefix, "run-1"))).toBeGreaterThan(0);
});
