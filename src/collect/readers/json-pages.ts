import { InputError } from "../../shared/index.js";

/** Where a value sits, for error messages (never its content). */
export interface JsonPosition {
  /** 1-based line of the value's first character. */
  line: number;
  /** 1-based count of page objects seen so far (0 before the first). */
  page: number;
  /** Position in the list (`users[i]`) or in the top-level array; null for a top-level value. */
  index: number | null;
}

/** What `JsonPageScanner` reports. Handlers run synchronously and may throw `InputError`. */
export interface JsonPageHandlers {
  /** An element of a page's list, parsed. */
  onItem(value: unknown, at: JsonPosition): void;
  /** The end of a page object (one holding the list), with its other keys parsed. */
  onPage(fields: Record<string, unknown>, items: number, at: JsonPosition): void;
  /** An object without the list: at the top level, or an element of a top-level array. */
  onObject(fields: Record<string, unknown>, at: JsonPosition): void;
}

export interface JsonPageOptions {
  /** File name or URL, for errors. */
  source: string;
  /** Key of the list inside a page whose elements are parsed one by one (`users`). */
  listKey: string;
  /** Largest single value (one row, one key's value) in characters; larger is refused naming its line. */
  maxValueChars: number;
  /** What to tell the operator when the text is not JSON. */
  fix: string;
  /** Parses one value's text (`key`: the field it is the value of; absent for list items). Default `JSON.parse`. */
  parse?: (text: string, key?: string) => unknown;
}

type ObjectState = "first" | "key" | "colon" | "value" | "next";
type ArrayState = "first" | "value" | "next";
interface ObjectFrame {
  kind: "object";
  state: ObjectState;
  key: string;
  fields: Record<string, unknown>;
  fieldChars: number;
  /** Page number once the list key was seen; 0 while the object is not (yet) a page. */
  page: number;
  items: number;
  index: number | null;
  line: number;
}
interface ArrayFrame {
  kind: "array" | "list";
  state: ArrayState;
  count: number;
}
/** Progress of the value being captured, kept across chunks so a long value is scanned once. */
export interface Capture {
  /** Offset of the value's first character. */
  start: number;
  /** Offset scanning resumes at. */
  at: number;
  depth: number;
  inString: boolean;
}

/** A capture of the value that starts at `start`. */
export const newCapture = (start: number): Capture => ({ start, at: start, depth: 0, inString: false });

/** JSON whitespace. */
export const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const isDelimiter = (c: number) => c === 44 || c === 93 || c === 125 || isSpace(c);

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/**
 * End offset of the JSON value `cap` started in `s` (an object, array or string by its brackets
 * and quotes, anything else up to a delimiter), or -1 when `s` ends inside it; `cap` keeps the
 * progress, so text appended to `s` later is scanned from where this call stopped. Only the
 * outer structure is walked: the value's text is for `JSON.parse` to validate.
 *
 * @example
 *   const cap = newCapture(0);
 *   captureEnd('{"a":[1]} ', cap, false); // 9
 */
export function captureEnd(s: string, cap: Capture, final: boolean): number {
  const first = s.charCodeAt(cap.start);
  if (first === 123 || first === 91 || first === 34) {
    let { at: i, depth, inString } = cap;
    if (i === cap.start && first === 34) {
      inString = true;
      i++;
    }
    let end = -1;
    while (i < s.length) {
      if (inString) {
        const quote = s.indexOf('"', i);
        if (quote === -1) {
          i = s.length;
          break;
        }
        let k = quote - 1;
        while (s.charCodeAt(k) === 92) k--;
        i = quote + 1;
        if ((quote - 1 - k) % 2 === 1) continue;
        inString = false;
        if (depth === 0) {
          end = i;
          break;
        }
        continue;
      }
      const c = s.charCodeAt(i++);
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth === 0) {
          end = i;
          break;
        }
      }
    }
    cap.at = i;
    cap.depth = depth;
    cap.inString = inString;
    return end;
  }
  let i = cap.at;
  while (i < s.length && !isDelimiter(s.charCodeAt(i))) i++;
  cap.at = i;
  return i < s.length || final ? i : -1;
}

/**
 * Finds the values of paged JSON in text that arrives in chunks of any size: one object, objects
 * back to back with any whitespace between (NDJSON, `gh api --paginate`), or an array of them. It
 * walks only the outer structure itself and hands every list element (and every other key's value)
 * to `JSON.parse` whole, so a row costs about what parsing it costs, and no value larger than
 * `maxValueChars` is ever held. Feed decoded text: `push(text)`, then `end()`.
 *
 * @example
 *   const scanner = new JsonPageScanner({ source, listKey: "users", maxValueChars: 1 << 20, fix }, handlers);
 *   for await (const text of chunks) scanner.push(text);
 *   scanner.end();
 */
export class JsonPageScanner {
  private buf = "";
  private pos = 0;
  /** Lines before `buf[0]`. */
  private lineBase = 0;
  /** Line counting resumes here (values are met in order, so counting is linear overall). */
  private lineOffset = 0;
  private linesBefore = 0;
  private started = false;
  private cap: Capture | null = null;
  private readonly stack: Array<ObjectFrame | ArrayFrame> = [];
  private pages = 0;
  private seen = false;

  constructor(
    private readonly options: JsonPageOptions,
    private readonly handlers: JsonPageHandlers,
  ) {}

  /** Adds decoded text and handles every value it completes. */
  push(text: string): void {
    if (text.length === 0) return;
    const keep = this.cap ? this.cap.start : this.pos;
    if (keep > 0) {
      this.lineAt(keep);
      this.lineBase = this.linesBefore;
      this.lineOffset = 0;
      this.buf = this.buf.slice(keep) + text;
      this.pos -= keep;
      if (this.cap) {
        this.cap.start -= keep;
        this.cap.at -= keep;
      }
    } else {
      this.buf += text;
    }
    if (!this.started && this.buf.charCodeAt(0) === 0xfeff) this.buf = this.buf.slice(1);
    this.started = true;
    this.run(false);
  }

  /** Ends the input: refuses a document cut short or an empty one. */
  end(): void {
    this.run(true);
    if (this.stack.length > 0 || this.cap)
      this.fail(this.lineAt(this.buf.length), "the document ends early (truncated?)");
    if (!this.seen) throw new InputError(this.options.source, "", "the file is empty", this.options.fix);
  }

  private lineAt(offset: number): number {
    if (offset < this.lineOffset) return this.lineBase + countLines(this.buf, 0, offset) + 1;
    this.linesBefore += countLines(this.buf, this.lineOffset, offset);
    this.lineOffset = offset;
    return this.linesBefore + 1;
  }

  private fail(line: number, problem: string): never {
    throw new InputError(this.options.source, `line ${line}`, problem, this.options.fix);
  }

  private unexpected(expected: string): never {
    this.fail(this.lineAt(this.pos), `not valid JSON: expected ${expected}`);
  }

  /** End offset of the value starting at `pos`, or -1 when the text so far ends inside it. */
  private scanValue(final: boolean): number {
    const cap = (this.cap ??= newCapture(this.pos));
    const end = captureEnd(this.buf, cap, final);
    const size = (end === -1 ? this.buf.length : end) - cap.start;
    if (size > this.options.maxValueChars) {
      this.fail(
        this.lineAt(cap.start),
        `a single value is larger than ${this.options.maxValueChars} characters (limit of one row or page field)`,
      );
    }
    return end;
  }

  /** Parses the captured value ending at `end` and moves past it. */
  private takeValue(end: number, key?: string): { value: unknown; line: number; chars: number } {
    const start = this.cap!.start;
    const line = this.lineAt(start);
    let value: unknown;
    try {
      // `JSON.parse` errors quote the text: report only the line.
      const text = this.buf.slice(start, end);
      value = this.options.parse ? this.options.parse(text, key) : JSON.parse(text);
    } catch {
      this.fail(line, "not valid JSON");
    }
    this.cap = null;
    this.pos = end;
    return { value, line, chars: end - start };
  }

  /** A new object frame opening at the current position; `index` is its place in a top-level array. */
  private objectFrame(index: number | null): ObjectFrame {
    return {
      kind: "object",
      state: "first",
      key: "",
      fields: {},
      fieldChars: 0,
      page: 0,
      items: 0,
      index,
      line: this.lineAt(this.pos),
    };
  }

  private endObject(frame: ObjectFrame): void {
    this.pos++;
    this.stack.pop();
    const at: JsonPosition = { line: frame.line, page: this.pages, index: frame.index };
    if (frame.page > 0) this.handlers.onPage(frame.fields, frame.items, { ...at, page: frame.page });
    else this.handlers.onObject(frame.fields, at);
  }

  private run(final: boolean): void {
    const s = () => this.buf;
    for (;;) {
      if (!this.cap) {
        while (this.pos < s().length && isSpace(s().charCodeAt(this.pos))) this.pos++;
        if (this.pos >= s().length) return;
      }
      const c = s().charCodeAt(this.pos);
      const frame = this.stack.at(-1);
      if (frame === undefined) {
        this.seen = true;
        if (c === 123) this.stack.push(this.objectFrame(null));
        else if (c === 91) this.stack.push({ kind: "array", state: "first", count: 0 });
        else this.unexpected("an object or an array");
        this.pos++;
        continue;
      }
      if (frame.kind === "object") {
        if (!this.objectStep(frame, c, final)) return;
        continue;
      }
      if (frame.state === "next") {
        if (c === 44) frame.state = "value";
        else if (c === 93) this.stack.pop();
        else this.unexpected("',' or ']'");
        this.pos++;
        continue;
      }
      if (frame.state === "first" && c === 93) {
        this.pos++;
        this.stack.pop();
        continue;
      }
      if (frame.kind === "array") {
        if (c !== 123)
          this.unexpected(`an object as element [${frame.count}] of the top-level array (a page or a user row)`);
        this.stack.push(this.objectFrame(frame.count++));
        frame.state = "next";
        this.pos++;
        continue;
      }
      const end = this.scanValue(final);
      if (end === -1) return;
      const { value, line } = this.takeValue(end);
      const page = this.stack.at(-2) as ObjectFrame;
      this.handlers.onItem(value, { line, page: page.page, index: frame.count++ });
      page.items++;
      frame.state = "next";
    }
  }

  /** One step inside an object; false when more text is needed. */
  private objectStep(frame: ObjectFrame, c: number, final: boolean): boolean {
    switch (frame.state) {
      case "first":
        if (c === 125) {
          this.endObject(frame);
          return true;
        }
      // falls through: the first key
      case "key": {
        if (c !== 34 && !this.cap) this.unexpected("a key in quotes");
        const end = this.scanValue(final);
        if (end === -1) return false;
        const { value: key, line } = this.takeValue(end);
        frame.key = key as string;
        // `JSON.parse` keeps the last of two equal keys: a page that says two things is refused instead. Only a plain key name is quoted.
        if (Object.hasOwn(frame.fields, frame.key))
          this.fail(
            line,
            `key ${/^[a-z_]{1,64}$/.test(frame.key) ? `\`${frame.key}\`` : "(not a plain name)"} appears twice in one object`,
          );
        frame.state = "colon";
        return true;
      }
      case "colon":
        if (c !== 58) this.unexpected("':'");
        this.pos++;
        frame.state = "value";
        return true;
      case "value": {
        if (frame.key === this.options.listKey && c === 91 && !this.cap) {
          if (frame.page > 0) this.unexpected(`one \`${frame.key}\` list per page`);
          frame.page = ++this.pages;
          frame.state = "next";
          this.stack.push({ kind: "list", state: "first", count: 0 });
          this.pos++;
          return true;
        }
        const end = this.scanValue(final);
        if (end === -1) return false;
        const { value, chars } = this.takeValue(end, frame.key);
        frame.fieldChars += chars;
        if (frame.fieldChars > this.options.maxValueChars)
          this.fail(
            frame.line,
            `an object's fields outside \`${this.options.listKey}\` are larger than ${this.options.maxValueChars} characters`,
          );
        // As JSON.parse does: an own field, so `"__proto__": {...}` is a field, not the object's prototype
        // (an assignment would make the hidden object's keys read as this object's: a row, a page's totals).
        Object.defineProperty(frame.fields, frame.key, { value, writable: true, enumerable: true, configurable: true });
        frame.state = "next";
        return true;
      }
      case "next":
        if (c === 44) frame.state = "key";
        else if (c === 125) {
          this.endObject(frame);
          return true;
        } else this.unexpected("',' or '}'");
        this.pos++;
        return true;
    }
  }
}
