/** Bytes of file per piece of base64: whole 3-byte groups, so the pieces join into the base64 of the whole. */
const SLICE_BYTES = 3 * 256 * 1024;
/** A line feed: never inside an email address, nor inside a UTF-8 sequence, so text can be cut after one. */
const LINE_FEED = 0x0a;

/** The fields of a contents API write other than the file itself. */
export interface ContentsWrite {
  /** The commit message. */
  message: string;
  /** The blob the write replaces; absent when the file is new. */
  sha?: string;
}

/**
 * The JSON body of `PUT /repos/{owner}/{repo}/contents/{path}`, sent as it is written. The API
 * takes the file as one base64 string inside JSON: built whole, a per-person CSV of tens of MiB
 * became a base64 string, a JSON string around it and the request's bytes, all at once. Here the
 * base64 is written a slice at a time while the request goes out, and `length` is known before
 * the first byte (GitHub gets a `Content-Length`, not a chunked body).
 *
 * A class, not a plain object: Octokit serializes a plain-object `data` as JSON, and the email
 * guard (`emailGuardPlugin`) recognizes this body by its class, masks it (`guardedBy`) and sends
 * the masked one. It can be read more than once: a retried or redirected request sends the whole
 * body again (fetch itself cannot replay a streamed body: `putContents` follows redirects).
 *
 * @example await putContents(octokit, { owner, repo, path }, new ContentsBody({ message: "usage 2026-W48" }, csv));
 */
export class ContentsBody implements AsyncIterable<Buffer> {
  /** The body's length in bytes, for `Content-Length`. */
  readonly length: number;
  private readonly head: Buffer;
  private readonly tail = Buffer.from(`"}`);

  /**
   * @param write The commit message and the sha replaced.
   * @param file The file's bytes.
   */
  constructor(
    readonly write: ContentsWrite,
    readonly file: Buffer,
  ) {
    // JSON.stringify escapes the message and sha; the base64 alphabet needs no escaping.
    const fields = [`"message":${JSON.stringify(write.message)}`];
    if (write.sha !== undefined) fields.push(`"sha":${JSON.stringify(write.sha)}`);
    this.head = Buffer.from(`{${fields.join(",")},"content":"`);
    this.length = this.head.length + 4 * Math.ceil(file.length / 3) + this.tail.length;
  }

  /** The same write with `mask` applied to the message and to the file (`maskedFile`). */
  guardedBy(mask: (text: string) => string): ContentsBody {
    return new ContentsBody({ ...this.write, message: mask(this.write.message) }, maskedFile(this.file, mask));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    yield this.head;
    for (let start = 0; start < this.file.length; start += SLICE_BYTES)
      yield Buffer.from(this.file.toString("base64", start, Math.min(start + SLICE_BYTES, this.file.length)), "latin1");
    yield this.tail;
  }
}

/**
 * `file` with `mask` applied to its text a run of whole lines at a time (no address spans a line
 * break), so a file is never held as one string; the same Buffer when masking changes nothing.
 *
 * @example const committed = maskedFile(csv, maskEmails);
 */
export function maskedFile(file: Buffer, mask: (text: string) => string): Buffer {
  const pieces: Buffer[] = [];
  let changed = false;
  for (let start = 0; start < file.length;) {
    const end = lineEnd(file, start);
    const text = file.toString("utf8", start, end);
    const masked = mask(text);
    if (masked !== text) changed = true;
    pieces.push(masked === text ? file.subarray(start, end) : Buffer.from(masked, "utf8"));
    start = end;
  }
  return changed ? Buffer.concat(pieces) : file;
}

/** Where a run of whole lines from `start` ends: after the last line feed within a slice, or after the first beyond it. */
function lineEnd(file: Buffer, start: number): number {
  const limit = start + SLICE_BYTES;
  if (limit >= file.length) return file.length;
  const last = file.lastIndexOf(LINE_FEED, limit - 1);
  if (last >= start) return last + 1;
  const next = file.indexOf(LINE_FEED, limit);
  return next === -1 ? file.length : next + 1;
}
