import { setTimeout as delay } from "node:timers/promises";

/**
 * Time as a module that waits sees it: the current time and a way to wait. Passed in, so a
 * test runs the module's polls and backoffs on a virtual clock, and asserts on what was waited
 * for instead of on how long the machine took.
 *
 * @example
 *   async function pollUntil(ready: () => Promise<boolean>, clock: Clock = systemClock) {
 *     while (!(await ready())) await clock.sleep(100);
 *   }
 */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `Date.now()` and a timer. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => delay(ms),
};
