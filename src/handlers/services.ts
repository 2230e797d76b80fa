import type { Context, Logger, ProbotOctokit } from "probot";
import type { WebDeploymentConfig } from "../config/index.js";
import type { DeliveryClaims, RunQueue } from "../jobs/index.js";

/**
 * What the handlers need from the process that hosts them. Handlers enqueue through `queue` and
 * never collect or publish themselves, so the web process holds no GHES token in its hot path.
 */
export interface AppServices {
  /** The run queue (BullMQ in production, an in-memory double in handler tests). */
  queue: RunQueue;
  /** The validated deployment config: enterprise, admin repository, instances. */
  deployment: WebDeploymentConfig;
  /** Parent of every handler log line; Probot's event logger when absent. */
  logger?: Logger;
  /**
   * Fingerprint of `LICENSE_SYNC_SECRET` (`createEmailProtector({ secret }).keyId`). A pushed usage
   * file hashed with another secret is refused at push time instead of failing the run later.
   */
  usageFileKeyId?: string;
  /** Handled deliveries (Redis in the web process): a replayed delivery starts nothing. None in handler tests that do not test replays. */
  deliveries?: DeliveryClaims;
}

/** The installation-authenticated Octokit Probot gives each webhook. */
export type GitHub = ProbotOctokit;

/**
 * A child logger carrying the delivery id, so every line of one webhook can be found together,
 * and the handler's name.
 *
 * @example
 *   const log = handlerLog(context, services, "issue-comment");
 *   log.info({ command: "now" }, "command accepted");
 */
export function handlerLog(
  context: Pick<Context, "id" | "name" | "log">,
  services: Pick<AppServices, "logger">,
  handler: string,
): Logger {
  return (services.logger ?? context.log).child({ deliveryId: context.id, event: context.name, handler });
}
