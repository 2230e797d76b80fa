import type { RunSummary } from "../../../src/jobs/queue/types.js";
import { OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("dryrun");
});
afterAll(async () => {
  await h?.close();
});

test("/license-sync now --dry-run computes everything, changes nothing, and replies with what would be posted", async () => {
  const { issueNumber, answer } = await h.comment("/license-sync now --dry-run");
  expect(answer.status).toBe(200);
  const run = await waitFor<RunSummary>(
    "the dry run to finish",
    async () => {
      const runs = await h.web.queue.recentRuns(OWNER, 10);
      return runs.find((r) => r.state === "completed" || r.state === "failed");
    },
    60_000,
  );
  expect(run.state).toBe("completed");

  const repo = h.sim.repo(OWNER, REPO);
  // Only the command issue exists: no summary, no divergence issue, no history file.
  expect(repo.issues.map((i) => i.number)).toEqual([issueNumber]);
  expect(Object.keys(repo.files()).filter((path) => path.startsWith("license-usage/"))).toEqual([]);
  // Besides the test opening the command issue, the only writes are the reaction and the replies on it.
  const writes = h.sim.requests.filter(
    (r) =>
      r.method !== "GET" &&
      !r.path.endsWith("/graphql") &&
      !r.path.endsWith("/access_tokens") &&
      r.path !== `/repos/${OWNER}/${REPO}/issues`,
  );
  expect(writes.length).toBeGreaterThanOrEqual(3);
  expect(
    writes.filter((r) => !r.path.includes(`/issues/${issueNumber}/comments`) && !r.path.includes("/reactions")),
  ).toEqual([]);
  const reply = repo.issues[0]!.comments.filter((c) => c.user.endsWith("[bot]")).at(-1)!.body;
  expect(reply).toMatch(/dry run/i);
  expect(reply).toMatch(/would/i);
  expect(reply).toContain("License usage");
});
