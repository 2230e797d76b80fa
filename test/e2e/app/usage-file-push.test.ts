import { pino } from "pino";
import { collectGhes } from "../../../src/collect/ghes/collect-ghes.js";
import { usageFileChunks } from "../../../src/collect/usage-file/usage-file.js";
import { createGhesClient } from "../../../src/github/ghes-client.js";
import type { RunSummary } from "../../../src/jobs/queue/types.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { pushDelivery } from "../../support/webhooks.js";
import { HOSTS, INSTALLATION_ID, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

/** The embedded environment's LICENSE_SYNC_SECRET (test/support/app-harness.ts): an export must use the app's secret. */
const APP_SECRET = "embedded-license-sync-secret";
const AIR_GAPPED = HOSTS[1]!;
const UPLOAD = `license-usage/uploads/${AIR_GAPPED}.json`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness("push", { usageFileHosts: [AIR_GAPPED] });
});
afterAll(async () => {
  await h?.close();
});

/** What an operator does inside the air-gapped network: `license-sync export` (same collector, same format). */
async function exportUsageFile(): Promise<string> {
  const logger = pino({ level: "silent" });
  const protector = createEmailProtector({ secret: APP_SECRET });
  const url = h.sim.serverUrl(AIR_GAPPED);
  const collection = await collectGhes({
    client: createGhesClient({ url, token: "ghp-site-admin", logger }),
    server: { hostname: AIR_GAPPED, url, token: "ghp-site-admin", login: "siteadmin" },
    protector,
    logger,
    pollIntervalMs: 20,
  });
  return [
    ...usageFileChunks(
      {
        hostname: AIR_GAPPED,
        version: null,
        generatedAt: collection.collectedAt,
        license: collection.license,
        keyId: protector.keyId,
      },
      collection.accounts,
    ),
  ].join("");
}

test("a usage file pushed to the default branch starts a run that counts the air-gapped instance like a connected one", async () => {
  const commit = h.sim.github.putFile(OWNER, REPO, UPLOAD, await exportUsageFile());
  const answer = await h.deliver(
    pushDelivery({
      installationId: INSTALLATION_ID,
      owner: OWNER,
      repo: REPO,
      sha: commit.sha,
      message: "usage of ghes-b",
      added: [UPLOAD],
    }),
  );
  expect(answer.status).toBe(200);
  const run = await waitFor<RunSummary>(
    "the push run to finish",
    async () => (await h.web.queue.recentRuns(OWNER, 10)).find((r) => r.state === "completed" || r.state === "failed"),
    60_000,
  );
  expect(run).toMatchObject({ state: "completed", trigger: "push" });
  // Same rule, same numbers: the generator's totals, with one instance read from its usage file.
  expect(run.uniqueUsers).toBe(h.sim.context.dataset.expected.uniqueUsers);
  const summary = h.sim.repo(OWNER, REPO).issues.find((i) => i.title.startsWith("License usage"));
  expect(summary?.body).toContain(AIR_GAPPED);
  expect(summary?.body).toMatch(/usage file|usage-file/);
  expect(h.sim.repo(OWNER, REPO).commitComments).toEqual([]);
});

test("a usage file keyed with another secret gets a commit comment naming the field, and no run", async () => {
  const before = (await h.web.queue.recentRuns(OWNER, 10)).length;
  const text = (await exportUsageFile()).replace(/"keyId": "[^"]+"/, '"keyId": "someoneelse0"');
  const commit = h.sim.github.putFile(OWNER, REPO, UPLOAD, text);
  await h.deliver(
    pushDelivery({
      installationId: INSTALLATION_ID,
      owner: OWNER,
      repo: REPO,
      sha: commit.sha,
      message: "usage of ghes-b",
      modified: [UPLOAD],
    }),
  );
  const comments = h.sim.repo(OWNER, REPO).commitComments.filter((c) => c.commitId === commit.sha);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain("hashing.keyId");
  expect((await h.web.queue.recentRuns(OWNER, 10)).length).toBe(before);
});
