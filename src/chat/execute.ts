import type { RepositoryConfig, WebDeploymentConfig } from "../config/index.js";
import type { RunQueue } from "../jobs/index.js";
import type { ParsedCommand } from "./parse.js";
import { helpReply, queuedReply } from "./replies.js";
import { statusReply } from "./status.js";

/** How many runs `status` lists. */
export const STATUS_RUNS = 5;

/** An authorized command and where it came from. */
export interface CommandRequest {
  command: ParsedCommand;
  requestedBy: string;
  /** The issue to answer on when the run finishes. */
  reply: { owner: string; repo: string; issueNumber: number; installationId: number };
  deliveryId: string;
  config: RepositoryConfig;
}

/**
 * Carries out an authorized command through the queue and returns the reply's Markdown. Handlers
 * call this after parsing and authorizing; it never collects or publishes itself.
 *
 * @example
 *   const body = await executeCommand({ command, requestedBy: "mona", reply, deliveryId, config }, { queue, deployment });
 */
export async function executeCommand(
  request: CommandRequest,
  services: { queue: RunQueue; deployment: WebDeploymentConfig },
): Promise<string> {
  const { command } = request;
  const { queue, deployment } = services;
  switch (command.name) {
    case "now": {
      // An unknown option may be a mistyped `--dry-run`: answer with help rather than run for real.
      if (command.unknownOptions.length > 0) return helpReply(command);
      const result = await queue.enqueueRun({
        enterprise: deployment.enterprise,
        trigger: "command",
        requestedBy: request.requestedBy,
        reply: request.reply,
        dryRun: command.dryRun,
        deliveryId: request.deliveryId,
      });
      return queuedReply(result, command.dryRun);
    }
    case "status": {
      const [runs, scheduled] = await Promise.all([
        queue.recentRuns(deployment.enterprise, STATUS_RUNS),
        queue.scheduledRun(deployment.enterprise),
      ]);
      return statusReply({
        enterprise: deployment.enterprise,
        runs,
        scheduled,
        schedule: request.config.schedule,
        servers: deployment.servers,
      });
    }
    case "help":
      return helpReply(command);
  }
}
