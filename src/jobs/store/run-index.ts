import type { Redis } from "ioredis";
import { runKeys } from "../queue/names.js";

/** Runs remembered per enterprise; older ones drop out of `/license-sync status`. */
const KEEP = 100;

/**
 * The enterprise's runs by creation time. BullMQ can list jobs by state but not by enterprise,
 * and finished jobs are trimmed; this small sorted set is what `recentRuns` walks.
 *
 * @example
 *   await recordRun(redis, prefix, "acme", runId, Date.now());
 *   await listRuns(redis, prefix, "acme", 5) // newest first
 */
export async function recordRun(
  redis: Redis,
  prefix: string,
  enterprise: string,
  runId: string,
  at: number,
): Promise<void> {
  const key = runKeys.runIndex(prefix, enterprise);
  await redis
    .multi()
    .zadd(key, "NX", at, runId)
    .zremrangebyrank(key, 0, -KEEP - 1)
    .exec();
}

/** Newest first. */
export function listRuns(redis: Redis, prefix: string, enterprise: string, limit: number): Promise<string[]> {
  return redis.zrevrange(runKeys.runIndex(prefix, enterprise), 0, Math.max(0, limit - 1));
}
