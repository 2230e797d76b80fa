import { describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/core";
import nock from "../../support/nock.js";
import { concurrencyPlugin, settleAll } from "../../../src/github/concurrency.js";

/** A promise settled from outside, so a test decides the finishing order without sleeping. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
/** Lets every queued promise callback run (p-limit starts tasks on the microtask queue). */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("concurrencyPlugin", () => {
  it("never has more than `max` requests in flight, even when new requests arrive as others finish", async () => {
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const scope = nock("https://api.example.test")
      .get(/^\/page\/\d+$/)
      .times(12)
      .reply(200, () => ({}));
    // Octokit runs earlier plugins' hooks inside later ones: this one sees only what the bound let through.
    const inFlight = (octokit: Octokit) =>
      octokit.hook.wrap("request", async (request, options) => {
        active += 1;
        peak = Math.max(peak, active);
        const gate = deferred();
        releases.push(gate.resolve);
        await gate.promise;
        try {
          return await request(options);
        } finally {
          active -= 1;
        }
      });
    const Client = Octokit.plugin(inFlight, concurrencyPlugin(3));
    const octokit = new Client({ baseUrl: "https://api.example.test" });
    const first = Array.from({ length: 6 }, (_, n) => octokit.request(`GET /page/${n}`));
    await drain();
    expect(active).toBe(3);
    releases.shift()!();
    await drain();
    const late = Array.from({ length: 6 }, (_, n) => octokit.request(`GET /page/${6 + n}`));
    while (releases.length > 0 || active > 0) {
      releases.shift()?.();
      await drain();
    }
    await Promise.all([...first, ...late]);
    expect(peak).toBe(3);
    expect(scope.isDone()).toBe(true);
  });

  it("fails an attempt cut off while it waits for a slot at once, and never sends it", async () => {
    const sent: string[] = [];
    const gate = deferred();
    const scope = nock("https://api.example.test")
      .get("/busy")
      .reply(200, () => ({}));
    const holdFirst = (octokit: Octokit) =>
      octokit.hook.wrap("request", async (request, options) => {
        sent.push(options.url);
        if (options.url === "/busy") await gate.promise;
        return request(options);
      });
    const Client = Octokit.plugin(holdFirst, concurrencyPlugin(1));
    const octokit = new Client({ baseUrl: "https://api.example.test" });
    const busy = octokit.request("GET /busy");
    await drain();
    const stop = new AbortController();
    const waiting = octokit.request("GET /waiting", { request: { signal: stop.signal } });
    const stopped = new AbortController();
    stopped.abort();
    const alreadyStopped = octokit.request("GET /stopped", { request: { signal: stopped.signal } });
    await drain();
    stop.abort();
    // Both fail while the one slot is still held by /busy.
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    await expect(alreadyStopped).rejects.toMatchObject({ name: "AbortError" });
    expect(sent).toEqual(["/busy"]);
    gate.resolve();
    await expect(busy).resolves.toMatchObject({ status: 200 });
    // Their turns came and went unused: the slot is free for the next request.
    await drain();
    expect(sent).toEqual(["/busy"]);
    expect(scope.isDone()).toBe(true);
  });

  it("rejects a bound that is not a positive integer", () => {
    expect(() => concurrencyPlugin(0)).toThrow(TypeError);
    expect(() => concurrencyPlugin(1.5)).toThrow(TypeError);
  });
});

describe("settleAll", () => {
  it("keeps input order whatever the finishing order", async () => {
    const gates = [deferred(), deferred(), deferred()];
    const run = settleAll(
      gates.map((gate, index) => async () => {
        await gate.promise;
        return index;
      }),
      3,
    );
    for (const index of [1, 2, 0]) gates[index]!.resolve();
    expect(await run).toEqual([0, 1, 2]);
  });

  it("never has more than `concurrency` tasks in flight", async () => {
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 7 }, () => deferred());
    const run = settleAll(
      gates.map((gate) => async () => {
        active += 1;
        peak = Math.max(peak, active);
        await gate.promise;
        active -= 1;
      }),
      2,
    );
    for (const gate of gates) {
      await drain();
      gate.resolve();
    }
    await run;
    expect(peak).toBe(2);
  });

  it("skips tasks not yet started once one has failed", async () => {
    const started: number[] = [];
    const run = settleAll(
      [1, 2, 3, 4, 5].map((n) => async () => {
        started.push(n);
        if (n === 2) throw new Error("page 2 failed");
        return n;
      }),
      1,
    );
    await expect(run).rejects.toThrow("page 2 failed");
    expect(started).toEqual([1, 2]);
  });

  it("fails only after the tasks under way have finished", async () => {
    let finished = 0;
    const gate = deferred();
    const run = settleAll(
      [1, 2, 3].map((n) => async () => {
        if (n === 1) throw new Error("first failed");
        await gate.promise;
        finished += 1;
        return n;
      }),
      3,
    );
    let settled = false;
    run.catch(() => undefined).finally(() => (settled = true));
    await drain();
    expect(settled).toBe(false);
    gate.resolve();
    await expect(run).rejects.toThrow("first failed");
    expect(finished).toBe(2);
  });

  it("starts every task when unbounded and throws the first failure in argument order, not in time", async () => {
    const started: string[] = [];
    const late = deferred();
    const run = settleAll([
      async () => {
        started.push("accounts");
        await late.promise;
        throw new Error("accounts failed");
      },
      async () => {
        started.push("license");
        throw new Error("license failed");
      },
      async () => {
        started.push("stats");
        return 3;
      },
    ] as const);
    await drain();
    late.resolve();
    await expect(run).rejects.toThrow("accounts failed");
    expect(started).toEqual(["accounts", "license", "stats"]);
  });

  it("answers every task's result, typed by position", async () => {
    const [count, name] = await settleAll([async () => 2, async () => "acme"] as const);
    expect(count + 1).toBe(3);
    expect(name.toUpperCase()).toBe("ACME");
  });
});
