import type { Readable } from "node:stream";
import { TextDecoder } from "node:util";
import { InputError, unopenedFileError } from "../../shared/index.js";

const NOT_UTF8_FIX = 'Save the file as UTF-8 (in a spreadsheet: "CSV UTF-8"), or download it again without opening it.';

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** The encoding a byte order mark names: UTF-16 as Windows PowerShell 5 and Excel save it, else UTF-8. */
function encodingOf(head: Buffer): "utf-8" | "utf-16le" | "utf-16be" {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return "utf-8";
}

/**
 * The text of a byte stream, decoded with one streaming decoder: a multi-byte character cut by a
 * read chunk is joined, never turned into two replacement characters. UTF-8, unless the file
 * starts with a UTF-16 byte order mark (`gh api ... > file` in Windows PowerShell 5 writes
 * UTF-16LE; the mark is dropped). Bytes that do not decode (a CSV a spreadsheet saved as
 * Windows-1252, UTF-16 without a mark) are refused naming the line: read as replacement
 * characters, `josé@` and `jos?@` would become one person, or none. File errors become input
 * errors naming the file.
 */
export async function* textChunks(input: Readable, source: string): AsyncGenerator<string> {
  let encoding: ReturnType<typeof encodingOf> | undefined;
  let decoder: TextDecoder | undefined;
  // Bytes held until two are there to look for a byte order mark.
  let head = Buffer.alloc(0);
  let lines = 0;
  const decode = (chunk: Buffer | undefined): string => {
    encoding ??= encodingOf(head);
    decoder ??= new TextDecoder(encoding, { fatal: true });
    try {
      const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
      lines += newlines(text);
      return text;
    } catch {
      if (chunk === undefined)
        throw new InputError(
          source,
          `line ${lines + 1}`,
          `ends inside a ${encoding.toUpperCase()} character (truncated?)`,
          NOT_UTF8_FIX,
        );
      // Where in this chunk: the text before its first undecodable byte (never the text itself).
      const before = new TextDecoder(encoding).decode(chunk).split("\uFFFD", 1)[0]!;
      throw new InputError(
        source,
        `line ${lines + newlines(before) + 1}`,
        `not ${encoding.toUpperCase()} (saved in another encoding, such as Windows-1252 or UTF-16 without a byte order mark?)`,
        NOT_UTF8_FIX,
      );
    }
  };
  try {
    for await (const chunk of input) {
      if (typeof chunk === "string") {
        yield chunk;
        continue;
      }
      let bytes = chunk as Buffer;
      if (!decoder) {
        head = Buffer.concat([head, bytes]);
        if (head.length < 2) continue;
        bytes = head;
      }
      const text = decode(bytes);
      if (text) yield text;
    }
  } catch (error) {
    throw (
      unopenedFileError(error, source, { missing: "Check the path.", directory: "Give the path of a file." }) ?? error
    );
  }
  const held = decoder ? "" : decode(head);
  const rest = held + decode(undefined);
  if (rest) yield rest;
}

/**
 * Reads text up to its first character that is not whitespace or a byte order mark, and returns
 * that character with a stream of the whole text (nothing consumed), so readers can tell formats
 * apart by content.
 */
export async function peekFirstCharacter(
  chunks: AsyncGenerator<string>,
): Promise<{ first: string | undefined; text: AsyncGenerator<string> }> {
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
