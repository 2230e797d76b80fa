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
 * Passes bytes through unchanged, failing as soon as one physical line exceeds `maxBytes`. A line
 * ends at LF, CRLF or a lone CR (a spreadsheet saved "CSV (Macintosh)", or rows appended by
 * another tool), as the CSV parser reads them. It holds nothing: a parser behind it never buffers
 * a runaway line, not even one made only of delimiters, which a per-record size limit counting
 * field characters does not see.
 *
 * @example input.pipe(boundLines(1 << 20)).pipe(parse(...))
 */
export function boundLines(maxBytes: number): Transform {
  let line = 1;
  let length = 0;
  /** The previous chunk ended with CR: an LF first in this one completes that CRLF. */
  let afterCr = false;
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      // Next LF and CR from `start`, each searched again only once passed (linear in the chunk).
      let lf = -2;
      let cr = -2;
      for (let start = 0; ;) {
        if (lf !== -1 && lf < start) lf = bytes.indexOf(LF, start);
        if (cr !== -1 && cr < start) cr = bytes.indexOf(CR, start);
        const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
        length += (end === -1 ? bytes.length : end) - start;
        if (length > maxBytes) {
          callback(new LineTooLongError(line, maxBytes));
          return;
        }
        if (end === -1) break;
        const completesCrlf = bytes[end] === LF && (end === 0 ? afterCr : bytes[end - 1] === CR);
        if (!completesCrlf) line += 1;
        length = 0;
        start = end + 1;
      }
      if (bytes.length > 0) afterCr = bytes[bytes.length - 1] === CR;
      callback(null, bytes);
    },
  });
}
