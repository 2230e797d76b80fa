import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

/** A parsed pino line. */
export type LogRecord = Record<string, unknown> & { level: number; msg?: string };

export interface CapturedLog {
  logger: Logger;
  /** Everything written, exactly as it would reach a log file. */
  text(): string;
  records(): LogRecord[];
}

/** A real pino logger (debug level, default serializers) writing into memory, so tests see the bytes. */
export function captureLog(): CapturedLog {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = pino({ level: "debug" }, stream);
  const text = () => chunks.join("");
  return {
    logger,
    text,
    records: () =>
      text()
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as LogRecord),
  };
}

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;
