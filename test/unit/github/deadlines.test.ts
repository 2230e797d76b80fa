import { Readable } from "node:stream";
import { getEventListeners } from "node:events";
import { afterEach, beforeAll, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { DeadlineError, deadlineFetch } from "../../../src/github/deadlines.js";
import { onFakeClock } from "../../support/fake-clock.js";

const HOST = "https://ghes-a.corp.example";
beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const fetchWithin = (idleMs: number, totalMs: number) =>
  deadlineFetch({
    deadlines: { connectMs: 1000, idleMs, totalMs },
    service: "GHES ghes-a.corp.example",
    totalSetting: "timeouts.reportSeconds",
  });

it("does not count a busy reader as a silent server: the idle clock runs only while a read waits", async () => {
  nock(HOST)
    .get("/report")
    .reply(200, () => Readable.from(["a", "b", "c"]));
  // On the fake clock, moved a millisecond per turn of the event loop: the deadlines and the
  // caller's busy time are timers on it, so the machine's load cannot stretch a 100 ms idle wait.
  const outcome = await onFakeClock(
    async () => {
      const response = await fetchWithin(100, 5000)(`${HOST}/report`);
      const reader = response.body!.getReader();
      let text = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString();
        // The caller is busy (parsing, writing to Redis) for longer than the idle deadline.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return text;
    },
    { stepMs: 1 },
  );
  expect(outcome).toMatchObject({ value: "abc" });
  expect(outcome.elapsedMs).toBeGreaterThanOrEqual(3 * 250);
});

it("fails a server that stops sending with the idle deadline's key, and the headers wait counts too", async () => {
  nock(HOST).get("/silent").delay(1000).reply(200, "late");
  const error = await fetchWithin(100, 5000)(`${HOST}/silent`).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeadlineError);
  expect(error).toMatchObject({ phase: "idle", setting: "timeouts.idleSeconds", code: "ETIMEDOUT" });
  expect((error as Error).message).toBe(
    "GHES ghes-a.corp.example: nothing received for 0.1 s (timeouts.idleSeconds). Check the network path to the host, or raise timeouts.idleSeconds in the deployment config if it is just slow.",
  );
});

it("leaves no listener on the caller's signal once a request is done, however many requests share it", async () => {
  nock(HOST).get("/page").times(20).reply(200, "ok");
  const stop = new AbortController();
  const fetchPage = fetchWithin(1000, 5000);
  for (let i = 0; i < 20; i++) {
    const response = await fetchPage(`${HOST}/page`, { signal: stop.signal });
    expect(await response.text()).toBe("ok");
  }
  // One listener per request left behind would warn at 11 and keep every request's controller.
  expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
});
