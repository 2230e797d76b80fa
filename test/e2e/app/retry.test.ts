import { failReport } from "./held-report.js";
import { HOSTS, OWNER, startHarness, waitFor, type Harness } from "./harness.js";
import { httpRequest } from "./http.js";

// ghes-b's report fails once with an unexpected answer: not a configuration problem, so retried.
const flaky = failReport({ failFirst: 1, status: 400, host: HOSTS[1]! });
let h: Harness;
beforeAll(async () => {
  h = await startHarness("retry", { simulator: { routes: [flaky.route] } });
});
afterAll(async () => {
  await h?.close();
});

test("a collection that fails once is retried after a backoff and the run completes", async () => {
  await h.comment("/license-sync now");
  const run = await waitFor(
    "the run to finish",
    async () => {
      const [latest] = await h.web.queue.recentRuns(OWNER, 1);
      return latest?.state === "completed" || latest?.state === "failed" ? latest : undefined;
    },
    60_000,
  );
  expect(run.state).toBe("completed");
  const job = await h.inspect.getJob(`${run.runId}-server-1`);
  expect((job?.data as { hostname: string }).hostname).toBe(HOSTS[1]);
  expect(job?.attemptsMade).toBe(2);
  expect(job?.opts.backoff).toEqual({ type: "exponential", delay: 200 });
  expect(job?.processedOn).toBeGreaterThanOrEqual((job?.timestamp ?? 0) + 200);
  const metrics = (await httpRequest(`${h.web.url}/metrics`)).body;
  expect(metrics).toMatch(/license_sync_job_failures_total\{job="collect-server",kind="internal"\} 1/);
  // Counted from the start at 0; a retried job that then succeeds fails no run.
  expect(metrics).toMatch(/license_sync_runs_failed_total\{trigger="command"\} 0\n/);
});
