import type { Probot } from "probot";
import { onInstallationAvailable, onInstallationGone } from "./handlers/installation.js";
import { onInstallationRepositories } from "./handlers/installation-repositories.js";
import { onIssueComment } from "./handlers/issue-comment.js";
import { onPush } from "./handlers/push.js";
import type { AppServices } from "./handlers/services.js";

export type { AppServices } from "./handlers/services.js";

/**
 * The Probot app function: wires webhooks to handlers, nothing else. Each handler parses,
 * authorizes, enqueues through `services.queue` and replies; runs happen in the worker.
 *
 * @example
 *   const queue = createRunQueue(redis);                       // src/jobs (BullMQ)
 *   const deployment = await loadDeploymentConfig(process.env.LICENSE_SYNC_CONFIG ?? "license-sync.config.yml");
 *   const usageFileKeyId = createEmailProtector({ secret: process.env.LICENSE_SYNC_SECRET }).keyId;
 *   await probot.load(createApp({ queue, deployment, usageFileKeyId }));
 */
export function createApp(services: AppServices): (app: Probot) => void {
  return (app) => {
    if (!services.usageFileKeyId) (services.logger ?? app.log).warn("no usageFileKeyId (LICENSE_SYNC_SECRET): pushed usage files will be refused");
    app.on(["installation.created", "installation.new_permissions_accepted", "installation.unsuspend"], onInstallationAvailable(services));
    app.on(["installation.deleted", "installation.suspend"], onInstallationGone(services));
    app.on(["installation_repositories.added", "installation_repositories.removed"], onInstallationRepositories(services));
    // `created` only: editing an old comment must not run its command again.
    app.on("issue_comment.created", onIssueComment(services));
    app.on("push", onPush(services));
  };
}
