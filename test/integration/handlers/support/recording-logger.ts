import type { Logger } from "probot";

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

/**
 * A logger that keeps what handlers log (bindings of `child` included), so tests can check a line
 * was written, and that none carries a secret. Only the parts of pino handlers use.
 */
export function recordingLogger(
  lines: LogLine[] = [],
  bindings: Record<string, unknown> = {},
): Logger & { lines: LogLine[] } {
  const at = (level: LogLine["level"]) => (first: unknown, second?: unknown) => {
    const fields = typeof first === "object" && first !== null ? (first as Record<string, unknown>) : {};
    const message = typeof first === "string" ? first : typeof second === "string" ? second : "";
    lines.push({ level, fields: { ...bindings, ...fields }, message });
  };
  const logger = {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more: Record<string, unknown>) => recordingLogger(lines, { ...bindings, ...more }),
  };
  return logger as unknown as Logger & { lines: LogLine[] };
}
