import type { RunSummary } from "../../../src/jobs/queue/types.js";
import { OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

const REPORT = "GET /stafftools/reports/all_users.csv";

// Short deadlines, so a hung GHES fails a run in about a second rather than minutes.
let h: Harness;
beforeAll(async () => {
  h = await startHarness("deadlines", {
    timeouts: { idleSeconds: 0.3 },
    simulator: { faults: { seed: 7, routes: [REPORT] } },
  });
});
afterAll(async () => {
  await h?.close();
});

const botReplies = (issueNumber: number) =>
  h.sim
    .repo(OWNER, REPO)
    .issues.find((i) => i.number === issueNumber)
    ?.comments.filter((c) => c.user.endsWith("[bot]"))
    .map((c) => c.body) ?? [];

/** Comments `/license-sync now` and waits for the run it queued to end. */
async function runNow(): Promise<{ issueNumber: number; run: RunSummary }> {
  const { issueNumber } = await h.comment("/license-sync now");
  const queued = await waitFor("the queued reply", async () =>
    botReplies(issueNumber).find((body) => /run `[^`]+`/.test(body)),
  );
  const runId = /run `([^`]+)`/.exec(queued)?.[1] ?? "";
  const run = await waitFor(
    `run ${runId} to end`,
    async () => {
      const found = (await h.web.queue.recentRuns(OWNER, 10)).find((r) => r.runId === runId);
      return found?.state === "completed" || found?.state === "failed" ? found : undefined;
    },
    60_000,
  );
  return { issueNumber, run };
}

test("a GHES that sends 200 then a byte now and then fails the run with the host and the key to raise; the next run is not blocked", async () => {
  h.sim.context.faults.slowBodyByteMs = 2000;
  const { issueNumber, run } = await runNow();
  expect(run.state).toBe("failed");
  expect(run.failedReason).toMatch(
    /GHES ghes-[ab]\.corp\.example: nothing received for 0\.3 s \(timeouts\.idleSeconds\)/,
  );
  const reply = await waitFor("the failure reply", async () =>
    botReplies(issueNumber).find((body) => body.includes("failed")),
  );
  expect(reply).toMatch(/GHES ghes-[ab]\.corp\.example/);
  expect(reply).toContain("timeouts.idleSeconds");
  // Hostnames and keys only: no internal URL, no code identifier.
  expect(reply).not.toMatch(/https?:\/\/|127\.0\.0\.1|stafftools|idleMs|deadlineMs/);
  expect(h.sim.requests.some((r) => r.fault === "slowBody")).toBe(true);

  // The enterprise was released: with GHES healthy again, the next `now` runs to the end.
  h.sim.context.faults.slowBodyByteMs = undefined;
  const next = await runNow();
  expect(next.run.state).toBe("completed");
});

test("a GHES report answered 403 with x-ratelimit-remaining: 0 and retry-after is waited out and the run completes", async () => {
  h.sim.reset();
  h.sim.context.faults.rateLimit403Rate = 0.6;
  try {
    const { issueNumber, run } = await runNow();
    const limited = h.sim.requests.filter((r) => r.fault === "rateLimit403");
    expect(limited.length).toBeGreaterThan(0);
    expect(run.state).toBe("completed");
    const replies = botReplies(issueNumber).join("\n");
    expect(replies).not.toMatch(/site admin/i);
  } finally {
    h.sim.context.faults.rateLimit403Rate = undefined;
  }
});
