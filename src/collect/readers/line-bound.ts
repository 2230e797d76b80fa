import { Transform, type TransformCallback } from "node:stream";

/** A physical line of the input is longer than the bound; `line` counts from 1. */
export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly maxBytes: number,
  ) {
    super(`line ${line} is longer than ${maxBytes} bytes`);
    this.name = "LineTooLongError";
  }
}

/**
 * Every CSV line ending, in any mix (csv-parse's `record_delimiter`): csv-parse otherwise keeps
 * the first it meets, so CRLF rows with LF rows appended read as one runaway row.
 */
export const CSV_RECORD_DELIMITERS = ["\r\n", "\n", "\r"];

const LF = 0x0a;
const CR = 0x0d;

/**
 * Counts physical lines of bytes that arrive in chunks and throws `LineTooLongError` as soon as one
 * exceeds `maxBytes`. A line ends at LF, CRLF or a lone CR (a spreadsheet saved "CSV (Macintosh)",
 * or rows appended by another tool), as the CSV parser reads them. It holds nothing: a parser fed
 * after it never buffers a runaway line, not even one made only of delimiters, which a per-record
 * size limit counting field characters does not see.
 *
 * @example const bound = new LineBound(1 << 20); for await (const chunk of input) { bound.check(chunk); parser.write(chunk); }
 */
export class LineBound {
  private line = 1;
  private length = 0;
  /** The previous chunk ended with CR: an LF first in this one completes that CRLF. */
  private afterCr = false;

  constructor(private readonly maxBytes: number) {}

  check(bytes: Buffer): void {
    // Next LF and CR from `start`, each searched again only once passed (linear in the chunk).
    let lf = -2;
    let cr = -2;
    for (let start = 0; ;) {
      if (lf !== -1 && lf < start) lf = bytes.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = bytes.indexOf(CR, start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      this.length += (end === -1 ? bytes.length : end) - start;
      if (this.length > this.maxBytes) throw new LineTooLongError(this.line, this.maxBytes);
      if (end === -1) break;
      const completesCrlf = bytes[end] === LF && (end === 0 ? this.afterCr : bytes[end - 1] === CR);
      if (!completesCrlf) this.line += 1;
      this.length = 0;
      start = end + 1;
    }
    if (bytes.length > 0) this.afterCr = bytes[bytes.length - 1] === CR;
  }
}

/**
 * `LineBound` as a stream stage: passes bytes through unchanged, failing the stream as soon as one
 * physical line exceeds `maxBytes`.
 *
 * @example input.pipe(boundLines(1 << 20)).pipe(parse(...))
 */
export function boundLines(maxBytes: number): Transform {
  const bound = new LineBound(maxBytes);
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      try {
        bound.check(bytes);
      } catch (error) {
        callback(error as LineTooLongError);
        return;
      }
      callback(null, bytes);
    },
  });
}
