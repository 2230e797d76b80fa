import { createRootLogger } from "../src/runtime/logger.js";
import { INSTALLATION_ID, OWNER, REPO, startEmbedded } from "../test/support/app-harness.js";
import { howToStartRedis, redisAnswers } from "./redis-check.js";
import { waitFor } from "../test/support/wait.js";
import { installationDelivery } from "../test/support/webhooks.js";
import { APP_ID } from "../test/sim/app-fixture.js";

const out = (text = "") => process.stdout.write(`${text}\n`);
const rule = (title: string) => out(`\n──── ${title} ${"─".repeat(Math.max(0, 76 - title.length))}\n`);

/**
 * `npm run demo`: the product end to end on an embedded enterprise. A simulated GitHub (GHEC
 * with 3,000 people, two GHES instances, drift and double counts), the real web process and a
 * real worker on Redis; the App is installed and an admin comments `/license-sync now`, as
 * signed webhooks; then the summary issue and the reply it posted are printed.
 */
async function main(): Promise<number> {
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  if (!(await redisAnswers(redisUrl))) {
    process.stderr.write(`${howToStartRedis(redisUrl)}\n`);
    return 2;
  }
  const prefix = `license-sync-demo-${process.pid}-${Date.now().toString(36)}`;
  const logger = await createRootLogger({
    level: (process.env.LOG_LEVEL as "error" | undefined) ?? "error",
    format: process.env.LOG_FORMAT === "json" ? "json" : undefined,
  });
  const hosts = ["ghes-a.corp.example", "ghes-b.corp.example"];
  out(
    `license-sync demo: simulated enterprise "${OWNER}" (3,000 people, ${hosts.join(", ")}), Redis ${redisUrl} (prefix ${prefix})`,
  );
  const env = await startEmbedded({
    redisUrl,
    prefix,
    logger,
    dataset: { seed: 2026, persons: 3000, hosts, seatsPurchased: 3050 },
  });
  try {
    out(`web process on ${env.web.url} (webhooks at /api/github/webhooks), 1 worker, simulator on ${env.sim.url}`);

    const installed = await env.deliver(installationDelivery("created", INSTALLATION_ID, OWNER, APP_ID));
    const next = await env.web.queue.nextScheduledRun(OWNER);
    out(
      `installation webhook: HTTP ${installed.status}; weekly run scheduled, next at ${next?.toISOString() ?? "(none)"}`,
    );

    const started = Date.now();
    const { issueNumber, answer } = await env.comment("/license-sync now");
    out(`"/license-sync now" by @mona on ${OWNER}/${REPO}#${issueNumber}: HTTP ${answer.status}`);
    const run = await waitFor(
      "the run to finish",
      async () => {
        const [latest] = await env.web.queue.recentRuns(OWNER, 1);
        return latest && (latest.state === "completed" || latest.state === "failed") ? latest : undefined;
      },
      180_000,
      200,
    );
    out(
      `run ${run.runId}: ${run.state} in ${((Date.now() - started) / 1000).toFixed(1)} s${run.uniqueUsers !== undefined ? `, ${run.uniqueUsers} unique users` : ""}${run.failedReason ? ` (${run.failedReason})` : ""}`,
    );

    const repo = env.sim.repo(OWNER, REPO);
    const summary = repo.issues.find(
      (issue) => issue.labels.includes("license-sync") && /^License usage/.test(issue.title),
    );
    rule(summary ? `summary issue #${summary.number}: ${summary.title}` : "no summary issue was posted");
    if (summary) out(summary.body ?? "");
    const thread = repo.issues.find((issue) => issue.number === issueNumber);
    const replies = (thread?.comments ?? []).filter((comment) => comment.user.endsWith("[bot]"));
    rule(`replies on #${issueNumber}`);
    for (const reply of replies) out(`@${reply.user}:\n${reply.body}\n`);
    const divergences = repo.issues.filter((issue) => issue.labels.includes("license-sync:divergence"));
    rule("divergence issues");
    for (const issue of divergences) out(`#${issue.number} [${issue.state}] ${issue.title}`);
    return run.state === "completed" ? 0 : 1;
  } finally {
    await env.close();
  }
}

// exitCode, not exit(): the process ends by itself once everything is closed, which is the check
// that nothing (socket, timer, Redis connection) was left open.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `license-sync demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
