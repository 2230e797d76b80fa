import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Writes a file so that readers see the old content or the whole new one, never half: stream to
 * a temporary sibling, then rename it over the target.
 */
export async function writeFileAtomic(target: string, content: string | Buffer | Iterable<string>): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await pipeline(Readable.from(typeof content === "string" || Buffer.isBuffer(content) ? [content] : content), createWriteStream(temporary));
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
