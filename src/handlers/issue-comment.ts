import type { Context } from "probot";
import {
  authorizeCommenter,
  commandFailedReply,
  commandPolicy,
  configErrorReply,
  executeCommand,
  parseCommand,
  refusalReply,
} from "../chat/index.js";
import type { RepositoryConfig } from "../config/index.js";
import { readRepositoryConfig } from "../pipeline/index.js";
import { isInputError } from "../shared/index.js";
import { isAdminRepository } from "./admin-repository.js";
import { handlerLog, type AppServices } from "./services.js";

type CommentContext = Context<"issue_comment.created">;

/** Bots (this App included) never command: a reply quoting a command must not loop. */
function isBot(user: { type?: string; login: string } | null | undefined): boolean {
  return !user || user.type === "Bot" || user.login.toLowerCase().endsWith("[bot]");
}

/**
 * `issue_comment.created` in the admin repository: `/license-sync now|status|help`. Guard
 * clauses, then one service each: parse, read the policy, authorize, react, execute, reply.
 * Edited comments are not subscribed to: editing an old command must not start another run.
 *
 * @example
 *   app.on("issue_comment.created", onIssueComment(services));
 */
export function onIssueComment(services: AppServices) {
  return async (context: CommentContext): Promise<void> => {
    const { comment, repository, sender, issue, installation } = context.payload;
    const author = comment.user;
    if (!isAdminRepository(repository.full_name, services.deployment)) return;
    if (!author || isBot(author) || isBot(sender)) return;
    // Without an installation there is no token to reply with now or when the run finishes.
    if (!installation) return;
    const command = parseCommand(comment.body);
    if (!command) return;

    const login = author.login;
    const log = handlerLog(context, services, "issue-comment").child({
      command: command.name,
      login,
      issue: issue.number,
    });
    const owner = repository.owner.login;
    const repo = repository.name;
    const reply = async (body: string) => {
      await context.octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body });
    };

    // The policy (who may run commands) lives in the config, so an invalid file is reported first.
    let config: RepositoryConfig;
    try {
      config = await readRepositoryConfig(context.octokit, { owner, repo });
    } catch (error) {
      if (!isInputError(error)) throw error;
      log.warn({ key: error.where, problem: error.problem }, "invalid repository config; command not run");
      await reply(configErrorReply(error));
      return;
    }

    if (config.commands.team)
      log.warn(
        { key: "commands.team" },
        "repository config commands.team is ignored; a team is allowed in the deployment config",
      );
    const policy = commandPolicy(services.deployment.commands, config.commands);
    const authorization = await authorizeCommenter(context.octokit, { owner, repo, login }, policy, log);
    if (!authorization.allowed) {
      log.info("commenter not authorized; refused");
      await reply(refusalReply(login, policy, owner));
      return;
    }

    // React at once: a run takes minutes, and the eyes say the command was seen.
    await context.octokit.rest.reactions.createForIssueComment({
      owner,
      repo,
      comment_id: comment.id,
      content: "eyes",
    });
    let body: string;
    try {
      body = await executeCommand(
        {
          command,
          requestedBy: login,
          reply: { owner, repo, issueNumber: issue.number, installationId: installation.id },
          deliveryId: context.id,
          config,
        },
        services,
      );
    } catch (error) {
      // The eyes are already there: say the command failed rather than leave silence, then fail
      // the delivery (503 when the queue is down) so it shows in Recent Deliveries for redelivery.
      log.error({ err: error }, "command failed");
      await reply(commandFailedReply());
      throw error;
    }
    await reply(body);
    log.info({ via: authorization.via, dryRun: command.dryRun }, "command answered");
  };
}
