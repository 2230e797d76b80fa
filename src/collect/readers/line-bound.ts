import { Transform, type TransformCallback } from "node:stream";

/** A physical line of the input is longer than the bound; `line` counts from 1. */
export class LineTooLongError extends Error {
  constructor(readonly line: number, readonly maxBytes: number) {
    super(`line ${line} is longer than ${maxBytes} bytes`);
    this.name = "LineTooLongError";
  }
}

const NEWLINE = 0x0a;

/**
 * Passes bytes through unchanged, failing as soon as one physical line (bytes between two `\n`)
 * exceeds `maxBytes`. It holds nothing: a parser behind it never buffers a runaway line, not
 * even one made only of delimiters, which a per-record size limit counting field characters
 * does not see.
 *
 * @example input.pipe(boundLines(1 << 20)).pipe(parse(...))
 */
export function boundLines(maxBytes: number): Transform {
  let line = 1;
  let length = 0;
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      let start = 0;
      for (let newline = bytes.indexOf(NEWLINE, start); ; newline = bytes.indexOf(NEWLINE, start)) {
        const end = newline < 0 ? bytes.length : newline;
        length += end - start;
        if (length > maxBytes) {
          callback(new LineTooLongError(line, maxBytes));
          return;
        }
        if (newline < 0) break;
        line += 1;
        length = 0;
        start = newline + 1;
      }
      callback(null, bytes);
    },
  });
}
