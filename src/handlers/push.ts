import type { Context, Logger } from "probot";
import { REPOSITORY_CONFIG_PATH } from "../config/index.js";
import { isAdminRepository } from "./admin-repository.js";
import { pushChanges } from "./changed-files.js";
import {
  configProblemComment,
  ignoredTeamComment,
  tooManyUploadsComment,
  uploadProblemsComment,
} from "./commit-comments.js";
import { readSchedule } from "./schedule.js";
import { handlerLog, type AppServices } from "./services.js";
import { checkUsageUpload, isUploadProblem, isUsageUpload, type UploadProblem } from "./usage-uploads.js";

type PushContext = Context<"push">;
interface PushTarget {
  owner: string;
  repo: string;
  sha: string;
  installationId: number;
}

const ZERO_SHA = /^0+$/;

/**
 * `push` to the admin repository's default branch. Two independent concerns, both read at the
 * pushed commit: a changed `.github/license-sync.yml` re-upserts the weekly schedule, and usage
 * files added under `license-usage/uploads/` start a run once every one of them validates.
 * Problems are answered with a comment on the pushed commit, the one place a push can be answered.
 *
 * @example
 *   app.on("push", onPush(services));
 */
export function onPush(services: AppServices) {
  return async (context: PushContext): Promise<void> => {
    const { payload } = context;
    if (!isAdminRepository(payload.repository.full_name, services.deployment)) return;
    // Other branches are drafts (config changes under review, say); a deleted branch has no files.
    if (
      payload.ref !== `refs/heads/${payload.repository.default_branch}` ||
      payload.deleted ||
      ZERO_SHA.test(payload.after)
    )
      return;
    if (!payload.installation) return;

    const log = handlerLog(context, services, "push").child({ sha: payload.after });
    const target: PushTarget = {
      owner: payload.repository.owner?.login ?? payload.repository.full_name.split("/")[0]!,
      repo: payload.repository.name,
      sha: payload.after,
      installationId: payload.installation.id,
    };
    const changes = pushChanges(payload.commits);
    if (changes.present.has(REPOSITORY_CONFIG_PATH) || changes.removed.has(REPOSITORY_CONFIG_PATH))
      await rescheduleFromPush(context, services, target, log);
    const uploads = [...changes.present].filter(isUsageUpload).sort();
    if (uploads.length > 0) await ingestUploads(context, services, target, uploads, log);
  };
}

async function commentOnCommit(context: PushContext, target: PushTarget, body: string): Promise<void> {
  await context.octokit.rest.repos.createCommitComment({
    owner: target.owner,
    repo: target.repo,
    commit_sha: target.sha,
    body,
  });
}

/** A valid config upserts the schedule; an invalid one keeps the current schedule and says why on the commit. */
async function rescheduleFromPush(
  context: PushContext,
  services: AppServices,
  target: PushTarget,
  log: Logger,
): Promise<void> {
  const { schedule, config, error } = await readSchedule(context.octokit, {
    owner: target.owner,
    repo: target.repo,
    ref: target.sha,
  });
  if (error) {
    log.warn({ key: error.where, problem: error.problem }, "pushed repository config is invalid; schedule unchanged");
    await commentOnCommit(context, target, configProblemComment(error));
    return;
  }
  await services.queue.upsertSchedule(services.deployment.enterprise, schedule, target.installationId);
  log.info({ cron: schedule.cron, timezone: schedule.timezone }, "weekly schedule upserted from pushed config");
  if (config?.commands.team) {
    log.warn({ key: "commands.team" }, "pushed repository config sets commands.team, which is ignored");
    await commentOnCommit(context, target, ignoredTeamComment(REPOSITORY_CONFIG_PATH));
  }
}

/**
 * All or nothing: a run with one instance's file missing would publish numbers the uploader did
 * not mean, so one bad file refuses the whole push.
 */
async function ingestUploads(
  context: PushContext,
  services: AppServices,
  target: PushTarget,
  paths: string[],
  log: Logger,
): Promise<void> {
  // One file per instance read from files is all a push can use (two of one instance are refused
  // anyway): more are refused unread, so a push of thousands costs no API calls and one short comment.
  const fromFiles = services.deployment.servers.filter((server) => server.usageFile).map((server) => server.hostname);
  if (paths.length > fromFiles.length) {
    log.warn(
      { files: paths.length, instances: fromFiles.length },
      "push adds more usage files than instances read from files; refused unread",
    );
    await commentOnCommit(context, target, tooManyUploadsComment(paths.length, fromFiles));
    return;
  }
  const problems: UploadProblem[] = [];
  const pathOf = new Map<string, string>();
  for (const path of paths) {
    // One at a time: usage files can be tens of megabytes, and the web process must stay small.
    const result = await checkUsageUpload(
      context.octokit,
      { owner: target.owner, repo: target.repo, ref: target.sha, path },
      services.deployment,
      services.usageFileKeyId,
    );
    if (isUploadProblem(result)) {
      problems.push(result);
      continue;
    }
    // Two files of one instance in one push: which one is current would be a guess.
    const first = pathOf.get(result.hostname);
    if (first)
      problems.push({
        path,
        where: "server.hostname",
        problem: `${result.hostname} also has \`${first}\` in this push`,
        fix: "Push one usage file per instance; delete the other.",
      });
    else pathOf.set(result.hostname, path);
  }
  if (problems.length > 0) {
    log.warn({ files: problems.map((p) => ({ path: p.path, where: p.where })) }, "pushed usage files refused; no run");
    await commentOnCommit(context, target, uploadProblemsComment(problems));
    return;
  }
  const result = await services.queue.enqueueRun({
    enterprise: services.deployment.enterprise,
    trigger: "push",
    requestedBy: context.payload.sender?.login,
    usageFiles: { ref: target.sha, paths },
    deliveryId: context.id,
  });
  log.info(
    { runId: result.runId, deduplicated: result.deduplicated, files: paths },
    "usage files accepted; run enqueued",
  );
}
