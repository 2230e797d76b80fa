import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InputError } from "../errors.js";

/**
 * Refuses (exit 2, naming the directory) an output path whose directory does not exist, before
 * any work is done; nothing is created.
 *
 * @example await checkOutputDirectory(options.out) // throws InputError for out/missing/report.json
 */
export async function checkOutputDirectory(target: string): Promise<void> {
  const directory = path.dirname(path.resolve(target));
  const info = await stat(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
    throw error;
  });
  const where = `--out ${target}`;
  if (info === null) {
    throw new InputError("command line", where, `the directory does not exist: ${directory}`, `Create it first (mkdir -p ${directory}) or give --out a path in an existing directory.`);
  }
  if (!info.isDirectory()) throw new InputError("command line", where, `${directory} is a file, not a directory`, "Give --out a path in an existing directory.");
}

/**
 * Writes a file so that readers see the old content or the whole new one, never half: stream to
 * a temporary sibling, then rename it over the target. A missing directory is the operator's
 * mistake (exit 2, naming it).
 */
export async function writeFileAtomic(target: string, content: string | Buffer | Iterable<string>): Promise<void> {
  await checkOutputDirectory(target);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await pipeline(Readable.from(typeof content === "string" || Buffer.isBuffer(content) ? [content] : content), createWriteStream(temporary));
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
