import { pino, type Logger } from "pino";
import { logLineOptions } from "../runtime/log-lines.js";

/**
 * The CLI's logger: pino JSON lines on standard error (standard output carries the report), at
 * `LOG_LEVEL` (default `warn`: the progress display speaks for normal runs).
 */
export function createCliLogger(env = process.env): Logger {
  return pino({ level: env.LOG_LEVEL ?? "warn", base: { name: "license-sync" }, ...logLineOptions() }, pino.destination(2));
}
