import { MAX_USUAL_LINE_CHARS, usualCsvFields } from "./csv-usual-line.js";

const LF = 0x0a;
const CR = 0x0d;
const NONE = Buffer.alloc(0);
/**
 * Bytes csv-parse leaves unread at the end of what it has until more arrives: its longest
 * lookahead, a 3-byte UTF-8 space among those it can trim (csv-parse's `__needMoreData`).
 */
const LOOKAHEAD = 3;
/** A header csv-parse would read as we do: ASCII, no quote, no CR. */
const PLAIN_HEADER = /^[\x20\x21\x23-\x7e\t]*$/;

/** Where csv-parse takes over: what to write to it first, then the bytes from the unusual line on. */
export interface Handover {
  /** The header line at its line number and an empty line for every other line read before. */
  prefix: string;
  rest: Buffer;
}

/**
 * The fast path of the all_users.csv reader: splits the lines of a CSV, as its bytes arrive,
 * into fields as csv-parse would (ghes-csv.ts's options: BOM, CRLF or LF, empty lines skipped),
 * while every line is written the usual way (`usualCsvFields`); at the first line that is not,
 * it stops for good and says what csv-parse must read to go on as if it had read the file from
 * its start. It takes a line only once a byte after its end has arrived, and looks at a line
 * still arriving, as csv-parse does, so csv-parse refuses at the same chunk it would have.
 * Holds at most the line still arriving, which the caller's `LineBound` bounds.
 */
export class UsualLines {
  private pending: Buffer = NONE;
  private started = false;
  private bom = false;
  /** Lines read (the line number of the last line taken). */
  private line = 0;
  private headerLine = 0;
  private headerText = "";

  /**
   * Takes `bytes` (after those of earlier calls); calls `onRecord` for each usual line, in order,
   * with its line number; returns the handover at the first unusual line, else undefined.
   * `final`: the input ends after `bytes`. `keep`: the fields the caller reads (`usualCsvFields`).
   */
  read(
    bytes: Buffer,
    final: boolean,
    header: readonly string[] | undefined,
    onRecord: (fields: string[], line: number) => void,
    keep?: Uint8Array,
  ): Handover | undefined {
    let data = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    if (!this.started) {
      // csv-parse's `bom`: a UTF-8 BOM at the very start is dropped (any other is left to csv-parse).
      if (data.length < 3 && !final) {
        this.pending = data;
        return undefined;
      }
      this.started = true;
      this.bom = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
      if (this.bom) data = data.subarray(3);
    }
    // Whole lines only, as far as csv-parse reads before the next chunk: it leaves the last
    // LOOKAHEAD bytes (a multi-byte space it trims may start there) for when more arrives.
    let end = data.length;
    // A line ends where its CRLF or LF starts.
    if (!final) {
      let last = data.length <= LOOKAHEAD ? -1 : data.lastIndexOf(LF, data.length - LOOKAHEAD);
      if (last === data.length - LOOKAHEAD && data[last - 1] !== CR)
        last = last === 0 ? -1 : data.lastIndexOf(LF, last - 1);
      end = last + 1;
    }
    const text = data.toString("utf8", 0, end);
    let expected = header?.length ?? 0;
    let position = 0;
    let taken = 0; // lines of `text` taken, to find the unusual one's bytes
    while (position < text.length) {
      const newline = text.indexOf("\n", position);
      let line = text.slice(position, newline < 0 ? text.length : newline);
      // A CR before LF ends the line with it; a CR at the very end of the input is left to csv-parse.
      if (newline >= 0 && line.endsWith("\r")) line = line.slice(0, -1);
      this.line += 1;
      if (line !== "") {
        const fields = header === undefined ? plainHeader(line) : usualCsvFields(line, expected, false, keep);
        if (fields === undefined) return this.handover(data, taken);
        if (header === undefined) {
          header = fields;
          expected = fields.length;
          this.headerLine = this.line;
          this.headerText = line;
        }
        onRecord(fields, this.line);
      }
      taken += 1;
      position = newline < 0 ? text.length : newline + 1;
    }
    this.pending = data.subarray(end);
    // The line still arriving, as far as csv-parse has read it: it would refuse some already.
    const seen = final ? 0 : Math.min(this.pending.length - LOOKAHEAD, MAX_USUAL_LINE_CHARS * 3 + 1);
    if (seen > 0) {
      const tail = this.pending.toString("utf8", 0, seen);
      const fine = header === undefined ? PLAIN_HEADER.test(tail) : usualCsvFields(tail, expected, true);
      if (!fine) {
        this.line += 1;
        return this.handover(this.pending, 0);
      }
    }
    return undefined;
  }

  /** The handover at the line after the `taken` first lines of `data` (`this.line` is its number). */
  private handover(data: Buffer, taken: number): Handover {
    let start = 0;
    for (let i = 0; i < taken; i++) start = data.indexOf(LF, start) + 1;
    const before = this.headerLine === 0 ? this.line - 1 : this.headerLine - 1;
    // The BOM dropped here goes first again: csv-parse drops it, and only it (a second one is text).
    let prefix = (this.bom ? "\uFEFF" : "") + "\n".repeat(before);
    if (this.headerLine > 0) prefix += `${this.headerText}\n${"\n".repeat(this.line - this.headerLine - 1)}`;
    this.pending = NONE;
    return { prefix, rest: data.subarray(start) };
  }
}

/** The header's fields when csv-parse would read it as a plain split on commas, else undefined. */
function plainHeader(line: string): string[] | undefined {
  return line.length <= MAX_USUAL_LINE_CHARS && PLAIN_HEADER.test(line) ? line.split(",") : undefined;
}
