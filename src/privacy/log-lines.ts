import type { LoggerOptions } from "pino";
import { maskEmails } from "./email-guard.js";

/**
 * Where a GHES hostname goes in a log line. Collectors log the instance as `hostname`, but pino
 * already writes the machine's name under `hostname`: two keys of one name, which log stores
 * that reject duplicate fields drop (and the rest keep only one of, at random).
 */
export const GHES_HOST_KEY = "ghesHost";

/** `{ hostname: "ghes-a" }` from a log call becomes `{ ghesHost: "ghes-a" }`. */
function ghesHostUnderItsOwnKey(object: Record<string, unknown>): Record<string, unknown> {
  if (!("hostname" in object)) return object;
  const { hostname, ...rest } = object;
  return { ...rest, [GHES_HOST_KEY]: hostname };
}

/**
 * One key once per line, the innermost value winning as pino means it to: a child binding
 * (`name: "probot"` under `name: "license-sync"`, a job's `runId` logged again by a step) or a
 * log call's field overrides what an outer logger bound. pino itself writes both.
 */
export function withUniqueKeys(line: string): string {
  try {
    return `${JSON.stringify(JSON.parse(line))}\n`;
  } catch {
    return line;
  }
}

/**
 * The pino options every license-sync logger shares (web, worker, CLI, and Probot, which is given
 * the root logger), so every JSON line has unique keys, the GHES host under `ghesHost` beside the
 * machine's `hostname`, and passes the email guard: each serialized line, whatever field (a
 * message, an error's stack, a child's binding) carried an address, is masked just before it is
 * written.
 *
 * @example pino({ level: "info", ...logLineOptions() }, pino.destination(2))
 */
export function logLineOptions(): Pick<LoggerOptions, "formatters" | "hooks"> {
  return {
    formatters: { log: ghesHostUnderItsOwnKey },
    hooks: { streamWrite: (line) => maskEmails(withUniqueKeys(line)) },
  };
}
