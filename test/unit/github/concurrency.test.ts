import { describe, expect, it } from "@jest/globals";
import { createLimiter, mapConcurrent } from "../../../src/github/concurrency.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createLimiter", () => {
  it("never runs more than `max` tasks at once, even when new tasks arrive as others finish", async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const task = async (ms: number) => {
      active += 1;
      peak = Math.max(peak, active);
      await tick(ms);
      active -= 1;
    };
    const first = Array.from({ length: 6 }, (_, n) => limit(() => task(5 + n)));
    await tick(6);
    const late = Array.from({ length: 6 }, () => limit(() => task(3)));
    await Promise.all([...first, ...late]);
    expect(peak).toBe(3);
  });

  it("rejects a bound that is not a positive integer", () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});

describe("mapConcurrent", () => {
  it("keeps input order whatever the finishing order", async () => {
    const result = await mapConcurrent([30, 10, 20], 3, async (ms, index) => {
      await tick(ms);
      return index;
    });
    expect(result).toEqual([0, 1, 2]);
  });

  it("skips calls not yet started once one has failed", async () => {
    const started: number[] = [];
    const run = mapConcurrent([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error("page 2 failed");
      return n;
    });
    await expect(run).rejects.toThrow("page 2 failed");
    expect(started).toEqual([1, 2]);
  });

  it("fails only after the calls under way have finished", async () => {
    let finished = 0;
    const run = mapConcurrent([1, 2, 3], 3, async (n) => {
      if (n === 1) throw new Error("first failed");
      await tick(30);
      finished += 1;
      return n;
    });
    await expect(run).rejects.toThrow("first failed");
    expect(finished).toBe(2);
  });
});
