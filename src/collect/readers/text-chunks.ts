import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { InputError } from "../../errors.js";

/**
 * The text of a byte stream, decoded with one streaming UTF-8 decoder: a multi-byte character cut
 * by a read chunk is joined, never turned into two replacement characters. File errors become
 * input errors naming the file.
 */
export async function* textChunks(input: Readable, source: string): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  try {
    for await (const chunk of input) yield typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(source, "", "file not found", "Check the path.");
    if (code === "EISDIR") throw new InputError(source, "", "is a directory, not a file", "Give the path of a file.");
    throw error;
  }
  const rest = decoder.end();
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
