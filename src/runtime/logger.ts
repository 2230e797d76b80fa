import { pino, type DestinationStream } from "pino";
import pretty from "pino-pretty";
import type { Logger } from "probot";
import { logLineOptions } from "../privacy/index.js";

export interface LoggerOptions {
  /** Probot's levels, or `silent` (tests, the demo's quiet mode). */
  level: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  /**
   * `json`: one JSON object per line, for log shippers. `pretty`: readable lines for a person.
   * Default (`LOG_FORMAT` unset): pretty when standard output is a terminal, JSON otherwise.
   */
  format?: "json" | "pretty";
  /** Where JSON lines go (default standard output); tests read the lines from here. */
  destination?: DestinationStream;
}

/** The format a process uses when `LOG_FORMAT` does not say: a person at a terminal, or a log shipper. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): "json" | "pretty" {
  return stdout.isTTY ? "pretty" : "json";
}

/**
 * The process's root logger, handed to Probot too so the web process, the worker and Probot
 * write one format: pino lines with `name: "license-sync"`, unique keys, the GHES host under
 * `ghesHost` (see privacy/log-lines.ts). Writes synchronously: the last lines before `process.exit`
 * (a shutdown, a start failure) are never lost.
 *
 * @example
 *   const logger = (await createRootLogger({ level: "info" })).child({ process: "worker" });
 */
export async function createRootLogger(options: LoggerOptions): Promise<Logger> {
  const format = options.format ?? defaultLogFormat();
  const destination =
    options.destination ??
    (format === "pretty"
      ? pretty({ destination: 1, sync: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss" })
      : pino.destination({ dest: 1, sync: true }));
  return pino({ name: "license-sync", level: options.level, ...logLineOptions() }, destination) as Logger;
}
