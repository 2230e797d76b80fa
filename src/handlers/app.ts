import type { Probot } from "probot";
import { onInstallationAvailable, onInstallationGone } from "./installation.js";
import { onInstallationRepositories } from "./installation-repositories.js";
import { onIssueComment } from "./issue-comment.js";
import { onPush } from "./push.js";
import type { AppServices } from "./services.js";
import { guardDelivery } from "./delivery-guard.js";
import {
  installationPayload,
  installationRepositoriesPayload,
  issueCommentPayload,
  pushPayload,
} from "./webhook-payloads.js";

/**
 * The Probot app function: wires webhooks to handlers, nothing else. Each handler parses,
 * authorizes, enqueues through `services.queue` and replies; runs happen in the worker.
 *
 * @example
 *   const queue = createRunQueue(redis);                       // src/jobs (BullMQ)
 *   const deployment = await loadWebDeploymentConfig(process.env.LICENSE_SYNC_CONFIG ?? "license-sync.config.yml");
 *   const usageFileKeyId = createEmailProtector({ secret: process.env.LICENSE_SYNC_SECRET }).keyId;
 *   await probot.load(createApp({ queue, deployment, usageFileKeyId }));
 */
export function createApp(services: AppServices): (app: Probot) => void {
  return (app) => {
    if (!services.usageFileKeyId)
      (services.logger ?? app.log).warn("no usageFileKeyId (LICENSE_SYNC_SECRET): pushed usage files will be refused");
    // Every handler checks its payload (400 when malformed) and runs once per delivery.
    app.on(
      ["installation.created", "installation.new_permissions_accepted", "installation.unsuspend"],
      guardDelivery(services, installationPayload, onInstallationAvailable(services)),
    );
    app.on(
      ["installation.deleted", "installation.suspend"],
      guardDelivery(services, installationPayload, onInstallationGone(services)),
    );
    app.on(
      ["installation_repositories.added", "installation_repositories.removed"],
      guardDelivery(services, installationRepositoriesPayload, onInstallationRepositories(services)),
    );
    // `created` only: editing an old comment must not run its command again.
    app.on("issue_comment.created", guardDelivery(services, issueCommentPayload, onIssueComment(services)));
    app.on("push", guardDelivery(services, pushPayload, onPush(services)));
  };
}
