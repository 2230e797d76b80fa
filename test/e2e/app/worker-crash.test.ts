import { holdReport } from "./held-report.js";
import { HOSTS, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

// The first report call of ghes-a never answers: its worker is "killed" while waiting for it.
const held = holdReport({ holdFirst: 1, host: HOSTS[0], forever: true });
let h: Harness;
beforeAll(async () => {
  h = await startHarness("crash", {
    workers: 2,
    tuning: { lockDurationMs: 1500, stalledIntervalMs: 500 },
    simulator: { routes: [held.route] },
  });
});
afterAll(async () => {
  await h?.close();
});

test("a worker dying mid-run loses its job to another worker, and the run completes", async () => {
  await h.comment("/license-sync now");
  await held.reached;
  const job = await waitFor("the held collection to be active", async () => {
    const active = await h.inspect.getJobs(["active"]);
    return active.find((j) => j.name === "collect-server" && (j.data as { hostname: string }).hostname === HOSTS[0]);
  });
  const victim = h.workers.find((w) => w.worker.opts.name === job.processedBy);
  const survivor = h.workers.find((w) => w !== victim);
  expect(victim).toBeDefined();
  await victim!.kill();

  const [run] = await waitFor(
    "the run to finish",
    async () => {
      const runs = await h.web.queue.recentRuns(OWNER, 1);
      return runs[0]?.state === "completed" || runs[0]?.state === "failed" ? runs : undefined;
    },
    45_000,
  );
  expect(run?.state).toBe("completed");
  // The stalled collection ran again, on the surviving worker, without using up an attempt.
  const again = await h.inspect.getJob(String(job.id));
  expect(again?.processedBy).toBe(survivor?.worker.opts.name);
  expect(again?.attemptsMade).toBe(1);
  // The held call, then the survivor's: 202 while the report builds, 200 with it.
  expect(held.calls).toBe(3);
  expect(h.sim.repo(OWNER, REPO).issues.filter((i) => i.title.startsWith("License usage"))).toHaveLength(1);
});
