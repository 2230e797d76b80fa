import { Writable } from "node:stream";
import { gunzipSync } from "node:zlib";
import type { Redis } from "ioredis";
import { pushDelivery } from "../../support/webhooks.js";
import type { RunSummary } from "../../../src/jobs/queue/types.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import {
  LEAKY_CONSUMED_LICENSES,
  LEAKY_GHES_REPORTS,
  clearEmailsIn,
  leakyRoutes,
  leakyUsageFiles,
  validUsageFile,
  type LeakyServing,
} from "../../support/leaky-inputs.js";
import { HOSTS, INSTALLATION_ID, OWNER, REPO, startHarness, waitFor, type Harness } from "./harness.js";

/**
 * Every bad input that carries clear emails, through the whole App: GHES reports and
 * consumed-licenses pages the simulator serves, usage files pushed to the admin repository
 * (the push handler, then a run reading them), and a command quoting an address. Afterwards
 * nothing the App wrote may hold a clear email: issues, comments, commit comments, committed
 * files, every log line (debug level) and every Redis value under the run's prefix, BullMQ's job
 * hashes, failed reasons, stack traces and event stream included.
 */

/** The embedded environment's LICENSE_SYNC_SECRET (test/support/app-harness.ts). */
const APP_SECRET = "embedded-license-sync-secret";
const AIR_GAPPED = HOSTS[1]!;
const UPLOAD = `license-usage/uploads/${AIR_GAPPED}.json`;

/** What the simulator serves instead of its dataset, while set. */
const serving: LeakyServing = {};
const routes = leakyRoutes(serving, HOSTS[0]!);

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(String(chunk));
    done();
  },
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness("leaks", { usageFileHosts: [AIR_GAPPED], simulator: { routes }, logTo: logSink });
});
afterAll(async () => {
  await h?.close();
});

const botReplies = (issueNumber: number) =>
  h.sim
    .repo(OWNER, REPO)
    .issues.find((i) => i.number === issueNumber)
    ?.comments.filter((c) => c.user.endsWith("[bot]")) ?? [];

/** `/license-sync now` on a new issue; resolves with the run's final reply once the run ended. */
async function runNow(): Promise<string> {
  const { issueNumber } = await h.comment("/license-sync now");
  const queued = await waitFor("the queued reply", async () => botReplies(issueNumber).at(0)?.body);
  const runId = /`([^`]+)`/.exec(queued)?.[1] ?? "";
  await waitFor<RunSummary>(
    `run ${runId} to end`,
    async () => {
      const run = (await h.web.queue.recentRuns(OWNER, 50)).find((r) => r.runId === runId);
      return run?.state === "completed" || run?.state === "failed" ? run : undefined;
    },
    60_000,
  );
  return waitFor(
    "the run's final reply",
    async () => (botReplies(issueNumber).length > 1 ? botReplies(issueNumber).at(-1)!.body : undefined),
    30_000,
  );
}

/** Commits `text` as the air-gapped instance's usage file and delivers the push, as GitHub would. */
async function pushUsageFile(text: string): Promise<string> {
  const commit = h.sim.github.putFile(OWNER, REPO, UPLOAD, text);
  const answer = await h.deliver(
    pushDelivery({
      installationId: INSTALLATION_ID,
      owner: OWNER,
      repo: REPO,
      sha: commit.sha,
      message: "usage of ghes-b",
      modified: [UPLOAD],
    }),
  );
  expect(answer.status).toBe(200);
  return commit.sha;
}

/** Every value under `prefix:` as text: strings, hashes, lists (and their gzip'd concatenation), sets, sorted sets, streams. */
async function redisTexts(redis: Redis, prefix: string): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === "string") texts[key] = (await redis.getBuffer(key))?.toString("latin1") ?? "";
      else if (type === "hash") texts[key] = JSON.stringify(await redis.hgetall(key));
      else if (type === "set") texts[key] = JSON.stringify(await redis.smembers(key));
      else if (type === "zset") texts[key] = JSON.stringify(await redis.zrange(key, "0", "-1"));
      else if (type === "stream") texts[key] = JSON.stringify(await redis.xrange(key, "-", "+"));
      else if (type === "list") {
        const items = await redis.lrangeBuffer(key, "0", "-1");
        texts[key] = items.map((item) => item.toString("latin1")).join("\n");
        try {
          texts[`${key} (gunzipped)`] = gunzipSync(Buffer.concat(items)).toString("utf8");
        } catch {
          // not a gzip stream
        }
      }
    }
  } while (cursor !== "0");
  return texts;
}

test("no clear email from a bad input reaches GitHub, the logs or Redis", async () => {
  const keyId = createEmailProtector({ secret: APP_SECRET }).keyId;
  h.sim.github.putFile(OWNER, REPO, UPLOAD, validUsageFile(keyId, AIR_GAPPED));
  const replies: string[] = [];

  // The worker: collections fail on each bad GHES report, then on each bad consumed-licenses page.
  for (const input of LEAKY_GHES_REPORTS) {
    serving.report = input.text;
    replies.push(await runNow());
  }
  serving.report = undefined;
  for (const input of LEAKY_CONSUMED_LICENSES) {
    serving.consumedLicenses = input.text;
    replies.push(await runNow());
  }
  serving.consumedLicenses = undefined;

  // The push handler (commit comments), then a run reading the same file.
  for (const input of leakyUsageFiles(keyId, AIR_GAPPED)) {
    const sha = await pushUsageFile(input.text);
    await waitFor(
      `a commit comment for ${input.name}`,
      async () => h.sim.repo(OWNER, REPO).commitComments.find((c) => c.commitId === sha),
      10_000,
    );
    replies.push(await runNow());
  }
  h.sim.github.putFile(OWNER, REPO, UPLOAD, validUsageFile(keyId, AIR_GAPPED));

  // The command handler: an unknown subcommand that is an address.
  const { issueNumber } = await h.comment("/license-sync leaky.command@corp.example");
  replies.push(await waitFor("the help reply", async () => botReplies(issueNumber).at(-1)?.body));

  const repo = h.sim.repo(OWNER, REPO);
  const written: Record<string, string> = {};
  for (const issue of repo.issues) {
    written[`issue #${issue.number} title`] = issue.title;
    written[`issue #${issue.number} body`] = issue.body ?? "";
    for (const comment of issue.comments.filter((c) => c.user.endsWith("[bot]")))
      written[`issue #${issue.number} comment ${comment.id}`] = comment.body;
  }
  for (const comment of repo.commitComments) written[`commit comment on ${comment.commitId}`] = comment.body;
  // Files the App committed (the usage files under uploads/ are the test's own input).
  for (const [path, text] of Object.entries(repo.files()))
    if (!path.startsWith("license-usage/uploads/")) written[`file ${path}`] = text;
  const redis = await redisTexts(h.redis, h.prefix);
  expect(Object.keys(redis).length).toBeGreaterThan(0);

  // One assertion, so a failure lists every leak at once.
  expect({
    github: clearEmailsIn(written),
    log: clearEmailsIn({ log: logLines.join("") }),
    redis: clearEmailsIn(redis),
  }).toEqual({ github: [], log: [], redis: [] });

  // The scan looked at real text: a reply to every run, failed jobs with reasons, a full debug log.
  const runs = LEAKY_GHES_REPORTS.length + LEAKY_CONSUMED_LICENSES.length + leakyUsageFiles(keyId, AIR_GAPPED).length;
  expect(replies).toHaveLength(runs + 1);
  const failedJobs = await h.inspect.getJobs(["failed"]);
  expect(failedJobs.filter((job) => job.failedReason).length).toBeGreaterThanOrEqual(LEAKY_GHES_REPORTS.length);
  expect(logLines.length).toBeGreaterThan(100);
  // The command's own text is echoed in the help reply, masked.
  expect(replies.at(-1)).toContain("***@corp.example");
});
