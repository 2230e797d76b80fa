import type { Readable } from "node:stream";
import { JSONParser } from "@streamparser/json";
import { InputError, unopenedFileError } from "../../shared/index.js";

export interface JsonStreamHandlers {
  /** Paths to emit, in @streamparser/json syntax (`$.users.*`). Emitted values are not kept. */
  paths: string[];
  /** What to tell the operator when the file is empty, truncated or not JSON. */
  fix?: string;
  /** Called for every emitted value with its key and its parent's key. */
  onValue(value: unknown, key: string | number | undefined, parentKey: string | number | undefined): void;
  /**
   * Most bytes read without an emitted value (one value that large, or padding), give or take one
   * 16 KB slice: bounds what the parser holds for a hostile document. Unbounded when absent.
   */
  maxValueBytes?: number;
}

const SLICE_BYTES = 16 * 1024;
const BOM = [0xef, 0xbb, 0xbf];
/** JSON's four whitespace bytes. */
const isJsonSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * Streams a JSON document, emitting only the selected values, so a 300,000-row response is never
 * one string or one object graph in memory. Returns the root's first character so callers can
 * tell an object from an array.
 */
export async function streamJson(
  input: Readable,
  source: string,
  handlers: JsonStreamHandlers,
): Promise<"object" | "array" | "other"> {
  const parser = new JSONParser({ paths: handlers.paths, keepStack: false });
  let parseError: Error | undefined;
  // Set by the parser while `write` runs; reset before each slice.
  let emitted: boolean | undefined;
  parser.onValue = ({ value, key, stack }) => {
    emitted = true;
    handlers.onValue(value, key, stack[stack.length - 1]?.key);
  };
  parser.onError = (error) => {
    parseError ??= error;
  };
  let root: "object" | "array" | "other" | undefined;
  let atStart = true;
  let sinceValue = 0;
  try {
    for await (const chunk of input) {
      // Bytes, not per-chunk strings: the parser joins a UTF-8 sequence split across chunks.
      let bytes: Buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
      if (root === undefined) {
        // Leading whitespace (and a BOM) is skipped here, not fed to the parser byte by byte.
        let start = atStart && BOM.every((byte, i) => bytes[i] === byte) ? BOM.length : 0;
        atStart = false;
        while (start < bytes.length && isJsonSpace(bytes[start])) start++;
        if (start === bytes.length) continue;
        root = bytes[start] === 0x7b ? "object" : bytes[start] === 0x5b ? "array" : "other";
        if (root === "other") break;
        bytes = bytes.subarray(start);
      }
      if (parser.isEnded) {
        // Only whitespace may follow the document: a second one (two files joined) is refused, not ignored.
        if (bytes.every(isJsonSpace)) continue;
        throw new InputError(
          source,
          "",
          "holds more than one JSON document (text after its end)",
          handlers.fix ?? "Save the API response again, complete and unedited.",
        );
      }
      const step = handlers.maxValueBytes ? SLICE_BYTES : bytes.length;
      for (let offset = 0; offset < bytes.length && !parseError; offset += step) {
        const slice = bytes.subarray(offset, offset + step);
        emitted = false;
        parser.write(slice);
        sinceValue = emitted ? 0 : sinceValue + slice.length;
        if (handlers.maxValueBytes && sinceValue > handlers.maxValueBytes) {
          throw new InputError(
            source,
            "",
            `holds more than ${Math.round(handlers.maxValueBytes / 1024)} KB without a complete value (an oversized field, or padding)`,
            handlers.fix ?? "Save the API response again, complete and unedited.",
          );
        }
      }
      if (parseError) break;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const unopened = unopenedFileError(error, source, {
      missing: "Check the path.",
      directory: "Give the path of a JSON file.",
    });
    if (unopened) throw unopened;
    parseError = error as Error;
  }
  // The parser reports errors thrown by `onValue` (a row that fails validation) as its own: pass those on as they are.
  if (parseError instanceof InputError) throw parseError;
  const fix = handlers.fix ?? "Save the API response again, complete and unedited.";
  if (root === undefined) throw new InputError(source, "", "the file is empty", fix);
  if (!parseError && !parser.isEnded && root !== "other")
    throw new InputError(source, "", "not valid JSON (the document ends early: truncated?)", fix);
  // The parser's own message quotes the token it choked on (a string: possibly an email), so it is never passed on.
  if (parseError)
    throw new InputError(source, "", "not valid JSON (a token out of place, or the file is cut short)", fix);
  return root;
}
