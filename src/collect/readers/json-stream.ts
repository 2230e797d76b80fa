import type { Readable } from "node:stream";
import { JSONParser } from "@streamparser/json";
import { InputError } from "../../errors.js";

export interface JsonStreamHandlers {
  /** Paths to emit, in @streamparser/json syntax (`$.users.*`). Emitted values are not kept. */
  paths: string[];
  /** What to tell the operator when the file is empty, truncated or not JSON. */
  fix?: string;
  /** Called for every emitted value with its key and its parent's key. */
  onValue(value: unknown, key: string | number | undefined, parentKey: string | number | undefined): void;
}

/**
 * Streams a JSON document, emitting only the selected values, so a 300,000-row response is never
 * one string or one object graph in memory. Returns the root's first character so callers can
 * tell an object from an array.
 */
export async function streamJson(input: Readable, source: string, handlers: JsonStreamHandlers): Promise<"object" | "array" | "other"> {
  const parser = new JSONParser({ paths: handlers.paths, keepStack: false });
  let parseError: Error | undefined;
  parser.onValue = ({ value, key, stack }) => handlers.onValue(value, key, stack[stack.length - 1]?.key);
  parser.onError = (error) => {
    parseError ??= error;
  };
  let root: "object" | "array" | "other" | undefined;
  try {
    for await (const chunk of input) {
      const text = typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
      if (root === undefined) {
        const first = text.replace(/^\uFEFF/, "").trimStart()[0];
        if (first === undefined) continue;
        root = first === "{" ? "object" : first === "[" ? "array" : "other";
        if (root === "other") break;
      }
      if (parser.isEnded) break;
      parser.write(text);
      if (parseError) break;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InputError(source, "", "file not found", "Check the path.");
    if ((error as NodeJS.ErrnoException).code === "EISDIR") throw new InputError(source, "", "is a directory, not a file", "Give the path of a JSON file.");
    parseError = error as Error;
  }
  // The parser reports errors thrown by `onValue` (a row that fails validation) as its own: pass those on as they are.
  if (parseError instanceof InputError) throw parseError;
  const fix = handlers.fix ?? "Save the API response again, complete and unedited.";
  if (root === undefined) throw new InputError(source, "", "the file is empty", fix);
  if (!parseError && !parser.isEnded && root !== "other") parseError = new Error("the document ends early (truncated?)");
  if (parseError) throw new InputError(source, "", `not valid JSON (${parseError.message})`, fix);
  return root;
}
