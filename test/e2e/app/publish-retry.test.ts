import { commentRoutes } from "../../sim/routes/comments.js";
import type { Route } from "../../sim/server.js";
import { OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

const POST_COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";

/**
 * The run's reply fails once, after everything else was published: the reconcile-publish job
 * fails midway and BullMQ retries it. The failure is answered at the start of the next second,
 * so the retry's clock differs from the first attempt's, as after Redis was down a few seconds.
 */
function failFirstRunReply(): { route: Route; readonly failures: number } {
  const builtIn = commentRoutes().find((route) => route.name === POST_COMMENT);
  if (!builtIn) throw new Error(`simulator has no route ${POST_COMMENT}`);
  let failures = 0;
  const route: Route = {
    ...builtIn,
    async handler(req, sim) {
      const body = (req.body as { body?: string } | undefined)?.body ?? "";
      if (/license-sync:reply/.test(body) && failures === 0) {
        failures++;
        await new Promise((resolve) => setTimeout(resolve, 1001 - (Date.now() % 1000)));
        return { status: 422, body: { message: "Simulated failure after publishing" } };
      }
      return builtIn.handler(req, sim);
    },
  };
  return {
    route,
    get failures() {
      return failures;
    },
  };
}

const fault = failFirstRunReply();
let h: Harness;
beforeAll(async () => {
  h = await startHarness("publish-retry", { simulator: { routes: [fault.route] } });
});
afterAll(async () => {
  await h?.close();
});

test("a publish that fails midway and is retried leaves exactly what one publish leaves", async () => {
  const commitsBefore = h.sim.repo(OWNER, REPO).commits().length;
  const { issueNumber } = await h.comment("/license-sync now");
  const run = await waitFor(
    "the run to finish",
    async () => {
      const [latest] = await h.web.queue.recentRuns(OWNER, 1);
      return latest?.state === "completed" || latest?.state === "failed" ? latest : undefined;
    },
    90_000,
  );
  expect(run.state).toBe("completed");
  expect(fault.failures).toBe(1);
  expect((await h.inspect.getJob(run.runId))?.attemptsMade).toBe(2);

  const repo = h.sim.repo(OWNER, REPO);
  const history = Object.keys(repo.files()).filter(
    (path) => path.startsWith("license-usage/history/") && path.endsWith(".json"),
  );
  expect(history).toHaveLength(1);
  expect(history[0]).toContain(run.runId);
  // One commit per file written: the retry found its snapshot up to date and wrote nothing.
  const peopleCsv = Object.keys(repo.files()).filter((path) => path.endsWith("-people.csv"));
  expect(repo.commits().length - commitsBefore).toBe(history.length + peopleCsv.length);
  const summaries = repo.issues.filter((issue) => issue.title.startsWith("License usage"));
  expect(summaries).toHaveLength(1);
  const commandIssue = repo.issues.find((issue) => issue.number === issueNumber)!;
  expect(commandIssue.comments.filter((c) => c.user.endsWith("[bot]") && /finished/.test(c.body))).toHaveLength(1);
  // Nothing else the app wrote was doubled: no comment on the summary or a divergence issue.
  for (const issue of repo.issues.filter((i) => i.number !== issueNumber)) expect(issue.comments).toEqual([]);
});
