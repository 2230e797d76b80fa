import { jest } from "@jest/globals";

/** How `work` ended on the fake clock, and how much fake time it took. */
export type FakeClockOutcome<T> = { elapsedMs: number } & ({ value: T } | { error: unknown });

/**
 * Runs `work` on Jest's modern fake timers and moves the fake clock forward, a step at a time,
 * until `work` settles. Returns how it ended and the fake milliseconds that passed: a wait the
 * code under test makes (a retry-after, a poll interval) shows up here in full, at no wall time,
 * and the figure does not depend on the machine's load.
 *
 * Why steps with a real turn of the event loop between them: nock, streams and HTTP parsing
 * still run on real I/O callbacks and immediates (not faked), and must get their turn before
 * the clock moves on. So the elapsed figure is the waits made plus at most a step per turn
 * spent on real work: assert lower bounds exactly, upper bounds only with room.
 *
 * @example
 *   const { elapsedMs } = await onFakeClock(() => client.request("GET /meta"));
 *   expect(elapsedMs).toBeGreaterThanOrEqual(1000); // waited out retry-after: 1
 */
export async function onFakeClock<T>(
  work: () => Promise<T>,
  { stepMs = 10, limitMs = 15 * 60_000 }: { stepMs?: number; limitMs?: number } = {},
): Promise<FakeClockOutcome<T>> {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  try {
    const started = Date.now();
    let outcome: { value: T } | { error: unknown } | undefined;
    work().then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    while (outcome === undefined) {
      if (Date.now() - started > limitMs) throw new Error(`work did not settle within ${limitMs} ms of fake time`);
      await new Promise((resolve) => setImmediate(resolve));
      await jest.advanceTimersByTimeAsync(stepMs);
    }
    return { ...outcome, elapsedMs: Date.now() - started };
  } finally {
    jest.useRealTimers();
  }
}
