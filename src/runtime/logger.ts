import { Probot, type Logger } from "probot";

export interface LoggerOptions {
  /** Probot's levels, or `silent` (tests, the demo's quiet mode). */
  level: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  /** `json` for log shippers; Probot's readable format otherwise. */
  format?: "json" | "pretty";
}

/**
 * The process's root logger: Probot's pino logger, so the web process, the worker and Probot
 * itself write one format (LOG_LEVEL, LOG_FORMAT as Probot reads them). Built through a Probot
 * instance that never talks to GitHub: the project declares no logger package of its own.
 *
 * @example
 *   const logger = (await createRootLogger({ level: "info" })).child({ process: "worker" });
 */
export async function createRootLogger(options: LoggerOptions): Promise<Logger> {
  // A token instead of App credentials: this instance only builds the logger.
  const probot = new Probot({ githubToken: "unused", logLevel: options.level as "info", logFormat: options.format });
  await probot.ready();
  return probot.log.child({ name: "license-sync" });
}
