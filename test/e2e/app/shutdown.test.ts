import { holdReport } from "./held-report.js";
import { HOSTS, OWNER, startHarness, waitFor, type Harness } from "./harness.js";

const held = holdReport({ holdFirst: 1, host: HOSTS[0] });
let h: Harness;
beforeAll(async () => {
  h = await startHarness("shutdown", { workers: 1, shutdownGraceMs: 500, simulator: { routes: [held.route] } });
});
afterAll(async () => {
  held.release();
  await h?.close();
});

test("a worker shut down mid-job hands the job back after the grace period; another worker finishes the run", async () => {
  await h.comment("/license-sync now");
  await held.reached;
  const job = await waitFor("the held collection to be active", async () =>
    (await h.inspect.getJobs(["active"])).find(
      (j) => j.name === "collect-server" && (j.data as { hostname: string }).hostname === HOSTS[0],
    ),
  );

  const [first] = h.workers;
  // The held report is never released before close() resolves: close() ends because the grace
  // period (500 ms) handed the job back, not because the job finished (it cannot).
  await first!.close();
  // Back in the queue, no attempt used, no lock held.
  expect(await h.inspect.getJobState(String(job.id))).toBe("waiting");
  expect((await h.inspect.getJob(String(job.id)))?.attemptsMade).toBe(0);
  expect(first!.worker.isRunning()).toBe(false);

  held.release();
  await h.addWorker("worker-2");
  const run = await waitFor(
    "the run to finish",
    async () => {
      const [latest] = await h.web.queue.recentRuns(OWNER, 1);
      return latest?.state === "completed" || latest?.state === "failed" ? latest : undefined;
    },
    45_000,
  );
  expect(run.state).toBe("completed");
  expect((await h.inspect.getJob(String(job.id)))?.processedBy).toBe("worker-2");
});
