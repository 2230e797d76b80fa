import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { loadDeploymentConfig, parseRepositoryConfigText, type RepositoryConfig } from "../../config/index.js";
import type { GitHubClient } from "../../github/index.js";
import {
  checkAdminRepository,
  checkRunTokens,
  createPipelineDeps,
  readRepositoryConfig,
  runPipeline,
} from "../../pipeline/index.js";
import { type PublishResult, publishRun } from "../../publish/index.js";
import { InputError, type Log } from "../../shared/index.js";
import { createAdminClient } from "../admin-client.js";
import { emitSyncOutput } from "../emit-sync.js";
import { parseFormat } from "../emit-report.js";
import { parseOptions } from "../parse-options.js";
import { createCliLogger } from "../logger.js";
import { createProgressDisplay } from "../progress.js";

function parseSyncArgs(args: string[]) {
  return parseOptions(args, {
    config: { type: "string" },
    "repo-config": { type: "string" },
    "dry-run": { type: "boolean", default: false },
    format: { type: "string", default: "table" },
  });
}

/** The repository config: a local file when given, else `.github/license-sync.yml` of the admin repository, else defaults. */
async function loadRepoConfig(
  path: string | undefined,
  admin: GitHubClient,
  adminRepository: string,
  logger: Log,
): Promise<RepositoryConfig> {
  if (path) {
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new InputError(
        path,
        "",
        error.code === "ENOENT" ? "file not found" : `cannot read (${error.code})`,
        "Check --repo-config.",
      );
    });
    return parseRepositoryConfigText(text, path);
  }
  const [owner, repo] = adminRepository.split("/") as [string, string];
  return readRepositoryConfig(admin, { owner, repo }, logger);
}

/**
 * `license-sync sync`: one full run without a queue.
 *  1. read the deployment config; check every token's scopes and the admin repository (before
 *     collecting anything), then read the repository config from the admin repository
 *  2. collect every source concurrently, with a progress display
 *  3. reconcile, detect divergences, publish (or, with --dry-run, plan without writing)
 *  4. print the report and what was (or would be) posted
 */
export async function syncCommand(args: string[]): Promise<number> {
  const options = parseSyncArgs(args);
  const format = parseFormat(options.format, ["table", "json", "markdown"]) as "table" | "json" | "markdown";
  const progress = createProgressDisplay();
  const logger = createCliLogger(progress);
  // 1.
  const deployment = await loadDeploymentConfig(
    options.config ?? process.env.LICENSE_SYNC_CONFIG ?? "license-sync.config.yml",
  );
  const deps = createPipelineDeps({ deployment, logger, secret: process.env.LICENSE_SYNC_SECRET ?? "" });
  const { client: admin, identity } = await createAdminClient(deployment, logger);
  const { warnings } = await checkRunTokens(deployment, identity, logger);
  await checkAdminRepository(admin, deployment, identity);
  const repoConfig = await loadRepoConfig(options["repo-config"], admin, deployment.adminRepository, logger);
  // 2. + 3.
  const [owner, repo] = deployment.adminRepository.split("/") as [string, string];
  const { record, published } = await runPipeline({
    deps,
    repoConfig,
    runId: randomUUID(),
    trigger: "cli",
    publish: { target: { octokit: admin, owner, repo, dryRun: options["dry-run"] }, publisher: publishRun },
    onServerProgress: progress.server,
    onCloudProgress: progress.cloud,
    warnings,
  }).finally(() => progress.finish());
  // 4.
  await emitSyncOutput(record.report, published as PublishResult, format, options["dry-run"], warnings);
  return 0;
}
