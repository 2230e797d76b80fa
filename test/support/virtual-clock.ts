import type { Clock } from "../../src/shared/clock.js";

/** A `Clock` that only moves when the code under test waits, and remembers each wait. */
export interface VirtualClock extends Clock {
  /** Every `sleep` asked for, in milliseconds, in order. */
  readonly waits: number[];
  /** Virtual milliseconds since the clock was made. */
  elapsedMs(): number;
}

/**
 * A clock for modules that take one (`Clock`): `sleep(ms)` moves the time forward by `ms` and
 * resolves at once. The test then asserts what was waited for (`waits`), exactly, whatever the
 * machine's load, and takes no wall time for it.
 *
 * @example
 *   const clock = virtualClock();
 *   await collectGhes({ ...options, clock });
 *   expect(clock.waits).toEqual([100, 200, 400, 100]);
 */
export function virtualClock(start = Date.UTC(2026, 0, 5, 12)): VirtualClock {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    elapsedMs: () => now - start,
    async sleep(ms) {
      waits.push(ms);
      now += ms;
    },
  };
}
