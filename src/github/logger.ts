import type { Log } from "../shared/index.js";

/** The `log` option Octokit wants: four levels taking a message. */
export interface OctokitLog {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

/**
 * Adapts our logger to Octokit's `log` option. Octokit's own request log (built into
 * @octokit/rest) is muted: `requestLogPlugin` logs every attempt with the fields we want, and the
 * built-in one would log each request twice, once at error level even for an expected 404.
 * Warnings (deprecations, throttling-plugin faults) pass as plain text, never as objects, so a
 * request object with its headers can never reach the log.
 *
 * @example new Octokit({ log: octokitLog(logger) })
 */
export function octokitLog(log: Log): OctokitLog {
  const ignore = () => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: (message) => log.warn({ source: "octokit" }, String(message)),
    error: ignore,
  };
}
