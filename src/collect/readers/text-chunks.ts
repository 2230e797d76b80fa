import type { Readable } from "node:stream";
import { InputError } from "../../errors.js";

const NOT_UTF8_FIX = "Save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\"), or download it again without opening it.";

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/**
 * The text of a byte stream, decoded with one streaming UTF-8 decoder: a multi-byte character cut
 * by a read chunk is joined, never turned into two replacement characters. Bytes that are not
 * UTF-8 (a CSV a spreadsheet saved as Windows-1252, a UTF-16 file) are refused naming the line:
 * read as replacement characters, `josé@` and `jos?@` would become one person, or none. File
 * errors become input errors naming the file.
 */
export async function* textChunks(input: Readable, source: string): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 0;
  const decode = (chunk: Buffer | undefined): string => {
    try {
      const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
      lines += newlines(text);
      return text;
    } catch {
      if (chunk === undefined) throw new InputError(source, `line ${lines + 1}`, "ends inside a UTF-8 character (truncated?)", NOT_UTF8_FIX);
      // Where in this chunk: the text before its first undecodable byte (never the text itself).
      const before = new TextDecoder("utf-8").decode(chunk).split("\uFFFD", 1)[0]!;
      throw new InputError(source, `line ${lines + newlines(before) + 1}`, "not UTF-8 (saved in another encoding, such as Windows-1252 or UTF-16?)", NOT_UTF8_FIX);
    }
  };
  try {
    for await (const chunk of input) yield typeof chunk === "string" ? chunk : decode(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(source, "", "file not found", "Check the path.");
    if (code === "EISDIR") throw new InputError(source, "", "is a directory, not a file", "Give the path of a file.");
    throw error;
  }
  const rest = decode(undefined);
  if (rest) yield rest;
}

/**
 * Reads text up to its first character that is not whitespace or a byte order mark, and returns
 * that character with a stream of the whole text (nothing consumed), so readers can tell formats
 * apart by content.
 */
export async function peekFirstCharacter(chunks: AsyncGenerator<string>): Promise<{ first: string | undefined; text: AsyncGenerator<string> }> {
  const seen: string[] = [];
  let first: string | undefined;
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    seen.push(next.value);
    first = next.value.replace(/^\uFEFF/, "").trimStart()[0];
    if (first !== undefined) break;
  }
  async function* text(): AsyncGenerator<string> {
    yield* seen;
    yield* chunks;
  }
  return { first, text: text() };
}
