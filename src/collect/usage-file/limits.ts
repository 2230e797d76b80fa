import { pipeline, Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { DeploymentConfig } from "../../config/index.js";
import { InputError } from "../../shared/index.js";

const MB = 1024 * 1024;

/** How large a usage file may be, before and after gunzip (deployment config `limits`). */
export interface UsageFileLimits {
  /** Bytes as stored (the `.json.gz` itself, or the `.json`). */
  maxBytes: number;
  /** Bytes once gunzipped: bounds the work a small gzip bomb can cause. */
  maxUnpackedBytes: number;
}

/** The deployment config keys that set the limits, named in every refusal. */
export const USAGE_FILE_LIMIT_KEYS = {
  maxBytes: "limits.usageFileMegabytes",
  maxUnpackedBytes: "limits.usageFileUnpackedMegabytes",
} as const;

/** The limits a deployment config sets (defaults applied by its schema). */
export function usageFileLimits(deployment: Pick<DeploymentConfig, "limits">): UsageFileLimits {
  return {
    maxBytes: deployment.limits.usageFileMegabytes * MB,
    maxUnpackedBytes: deployment.limits.usageFileUnpackedMegabytes * MB,
  };
}

function tooLarge(path: string, which: keyof UsageFileLimits, limitBytes: number, size?: number): InputError {
  const limit = `${Math.round(limitBytes / MB)} MB`;
  const problem =
    which === "maxBytes"
      ? `is ${size === undefined ? "larger than" : `${(size / MB).toFixed(1)} MB, over`} the ${limit} limit for usage files`
      : `unpacks to more than the ${limit} limit for gunzipped usage files`;
  return new InputError(
    path,
    "",
    problem,
    `If the file is genuine, raise ${USAGE_FILE_LIMIT_KEYS[which]} in the deployment config; otherwise export it again with \`license-sync export\`.`,
  );
}

/**
 * Refuses a usage file by its stored size, before any byte of it is fetched or read.
 *
 * @example assertUsageFileSize("license-usage/uploads/ghes-b.json.gz", data.size, limits)
 */
export function assertUsageFileSize(path: string, size: number, limits: UsageFileLimits): void {
  if (size > limits.maxBytes) throw tooLarge(path, "maxBytes", limits.maxBytes, size);
}

/** Passes bytes through, failing the stream once more than `limitBytes` went by. */
function byteCap(limitBytes: number, error: () => InputError): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limitBytes ? error() : null, seen > limitBytes ? undefined : chunk);
    },
  });
}

/**
 * The usage file's text as a stream: the stored bytes counted against `maxBytes`, gunzipped when
 * the path ends in `.gz`, and the unpacked bytes counted against `maxUnpackedBytes`. Over either
 * limit the stream fails with an InputError naming the limit and its deployment config key, so
 * at most the limit is ever read, whatever the gzip ratio.
 *
 * @example
 *   const text = unpackUsageFile(createReadStream(path), path, usageFileLimits(deployment));
 *   await readUsageFile(text, { source: path, keyId });
 */
export function unpackUsageFile(input: Readable, path: string, limits: UsageFileLimits): Readable {
  const stored = byteCap(limits.maxBytes, () => tooLarge(path, "maxBytes", limits.maxBytes));
  const unpacked = byteCap(limits.maxUnpackedBytes, () => tooLarge(path, "maxUnpackedBytes", limits.maxUnpackedBytes));
  // The failure reaches the reader through the last stream; pipeline destroys the others.
  const done = () => undefined;
  return path.toLowerCase().endsWith(".gz")
    ? pipeline(input, stored, createGunzip(), unpacked, done)
    : pipeline(input, stored, unpacked, done);
}
