import { randomBytes } from "node:crypto";
import { createWriteStream, type Stats } from "node:fs";
import { realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InputError } from "../shared/index.js";

/** `stat` (following links) or null when nothing is there. */
async function statOrNull(target: string): Promise<Stats | null> {
  return stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
    throw error;
  });
}

/**
 * Refuses (exit 2, naming it) an output path whose directory does not exist, or that is itself a
 * directory, before any work is done; nothing is created.
 *
 * @example await checkOutputDirectory(options.out) // throws InputError for out/missing/report.json
 */
export async function checkOutputDirectory(target: string): Promise<void> {
  const directory = path.dirname(path.resolve(target));
  const info = await statOrNull(directory);
  const where = `--out ${target}`;
  if (info === null) {
    throw new InputError(
      "command line",
      where,
      `the directory does not exist: ${directory}`,
      `Create it first (mkdir -p ${directory}) or give --out a path in an existing directory.`,
    );
  }
  if (!info.isDirectory())
    throw new InputError(
      "command line",
      where,
      `${directory} is a file, not a directory`,
      "Give --out a path in an existing directory.",
    );
  if ((await statOrNull(target))?.isDirectory()) {
    throw new InputError(
      "command line",
      where,
      "is a directory",
      `Give --out a file path (for example ${path.join(target, "report.json")}).`,
    );
  }
}

const source = (content: string | Buffer | Iterable<string>) =>
  Readable.from(typeof content === "string" || Buffer.isBuffer(content) ? [content] : content);

/**
 * Writes a file so that readers see the old content or the whole new one, never half: stream to
 * a temporary sibling, then rename it over the target. A symlink is followed (the link stays, its
 * file is replaced); a device or pipe (`/dev/stdout`, `/dev/null`) is written into, since renaming
 * a file over it would replace the device itself. A missing directory, or a directory as target,
 * is the operator's mistake (exit 2, naming it).
 */
export async function writeFileAtomic(target: string, content: string | Buffer | Iterable<string>): Promise<void> {
  await checkOutputDirectory(target);
  const existing = await statOrNull(target);
  if (existing && !existing.isFile()) {
    await pipeline(source(content), createWriteStream(target));
    return;
  }
  const file = existing ? await realpath(target) : target;
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await pipeline(source(content), createWriteStream(temporary));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
