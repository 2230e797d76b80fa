import { pino, type Logger } from "pino";
import { logLineOptions } from "../privacy/index.js";

/** Where human log lines go on a terminal: above the progress display when there is one. */
export interface LinePrinter {
  print(line: string): void;
}

const LEVEL_NAMES: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warning",
  50: "error",
  60: "fatal",
};
/** Fields every line has (the CLI logs no pid or machine name: its `base` is just the name). */
const QUIET = new Set(["level", "time", "name", "msg"]);

/**
 * One pino JSON line as a person reads it: `warning: <message> (key=value, ...)`.
 *
 * @example humanLine('{"level":40,"msg":"slow","host":"a"}') // "warning: slow (host=a)"
 */
export function humanLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const fields = Object.entries(entry)
    .filter(([key, value]) => !QUIET.has(key) && value !== undefined && typeof value !== "object")
    .map(([key, value]) => `${key}=${String(value)}`);
  const level = LEVEL_NAMES[Number(entry.level)] ?? "log";
  return `${level}: ${String(entry.msg ?? "")}${fields.length > 0 ? ` (${fields.join(", ")})` : ""}`;
}

/**
 * The CLI's logger on standard error (standard output carries the report), at `LOG_LEVEL`
 * (default `warn`: the progress display speaks for normal runs). On a terminal, lines are human
 * and printed above the progress display; otherwise pino JSON lines, for CI logs and tools.
 */
export function createCliLogger(
  printer?: LinePrinter,
  env = process.env,
  stream: NodeJS.WriteStream = process.stderr,
): Logger {
  const options = { level: env.LOG_LEVEL ?? "warn", base: { name: "license-sync" }, ...logLineOptions() };
  if (stream.isTTY !== true) return pino(options, pino.destination(2));
  const out = printer ?? { print: (line: string) => stream.write(`${line}\n`) };
  return pino(options, { write: (line: string) => out.print(humanLine(line)) });
}
