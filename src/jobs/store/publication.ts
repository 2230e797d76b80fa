import type { Redis } from "ioredis";
import { z } from "zod";
import type { RunResult } from "../queue/job-data.js";
import { runKeys } from "../queue/names.js";

// Longer than any run's retries; the key is deleted with the run's data when it completes.
const PUBLICATION_TTL_SECONDS = 7 * 24 * 3600;
// As long as the outcome key: a late retry of a completed run finds its result.
const RESULT_TTL_SECONDS = 30 * 24 * 3600;

const publicationTimeKey = (prefix: string, runId: string) => `${runKeys.runData(prefix, runId)}publication-time`;

/**
 * The moment a run is published at, fixed by its first attempt: every retry computes the same
 * week, the same history snapshot path and the same issue bodies, so a retried publish leaves
 * what one publish leaves (it updates what the first attempt wrote instead of adding beside it).
 *
 * @example const at = await publicationTime(redis, prefix, runId, new Date());
 */
export async function publicationTime(redis: Redis, prefix: string, runId: string, now: Date): Promise<Date> {
  const key = publicationTimeKey(prefix, runId);
  await redis.set(key, now.toISOString(), "EX", PUBLICATION_TTL_SECONDS, "NX");
  const stored = new Date((await redis.get(key)) ?? now.toISOString());
  return Number.isNaN(stored.getTime()) ? now : stored;
}

const runResultSchema = z.object({
  /** The run. */
  runId: z.string(),
  /** Unique users the run counted. */
  uniqueUsers: z.int().min(0),
  /** The summary issue's URL, null in a dry run that would create it. */
  summaryIssueUrl: z.string().nullable(),
  /** The summary issue's number. */
  summaryIssueNumber: z.int().nullable(),
  /** Whether nothing was written. */
  dryRun: z.boolean(),
  /** ISO 8601. */
  finishedAt: z.string(),
});

/** Records a completed run's result: a retried job (its completion lost with Redis, say) returns it instead of publishing again. */
export async function storeRunResult(redis: Redis, prefix: string, result: RunResult): Promise<void> {
  await redis.set(runKeys.result(prefix, result.runId), JSON.stringify(result), "EX", RESULT_TTL_SECONDS);
}

/** The result of a run that already completed, or null. */
export async function storedRunResult(redis: Redis, prefix: string, runId: string): Promise<RunResult | null> {
  const text = await redis.get(runKeys.result(prefix, runId));
  if (!text) return null;
  try {
    const parsed = runResultSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
