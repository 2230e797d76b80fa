import type { Redis } from "ioredis";
import { z } from "zod";
import { runKeys } from "../queue/names.js";
import type { RunRequest } from "../queue/types.js";

/** Where a requester asked: the issue to answer on. */
export type ReplyTarget = NonNullable<RunRequest["reply"]>;

const replyTargetSchema = z.object({
  /** Owner of the admin repository. */
  owner: z.string().min(1),
  /** Name of the admin repository. */
  repo: z.string().min(1),
  /** The issue the command was posted on. */
  issueNumber: z.int().positive(),
  /** Installation whose token posts the reply. */
  installationId: z.int().positive(),
});

// As long as the run index and outcome keys: a pending run never outlives it.
const REQUESTERS_TTL_SECONDS = 30 * 24 * 3600;
// A burst of commands on many issues stays bounded; one reply per issue.
const MAX_REQUESTERS = 200;

/** One member per issue: the same issue asking twice is answered once. */
const member = (target: ReplyTarget) =>
  JSON.stringify([target.owner, target.repo, target.issueNumber, target.installationId]);

/**
 * Records a request that joined a pending run (deduplicated add), so the run answers it on its
 * own issue when it finishes. The first request's issue travels in the job data; the joiners'
 * live here, one Redis set per run.
 *
 * @example if (result.deduplicated && request.reply) await addRequester(redis, prefix, result.runId, request.reply);
 */
export async function addRequester(redis: Redis, prefix: string, runId: string, target: ReplyTarget): Promise<void> {
  const key = runKeys.requesters(prefix, runId);
  if ((await redis.scard(key)) >= MAX_REQUESTERS) return;
  await redis.multi().sadd(key, member(target)).expire(key, REQUESTERS_TTL_SECONDS).exec();
}

/**
 * Every issue to answer when the run ends: the first request's, then each joiner's, once per
 * issue. Members that do not parse (a foreign writer) are skipped.
 *
 * @example for (const target of await requestersOf(redis, prefix, run)) await postReplyOnce(octokit, target, run.runId, body);
 */
export async function requestersOf(
  redis: Redis,
  prefix: string,
  run: { runId: string; reply?: ReplyTarget },
): Promise<ReplyTarget[]> {
  const joined = (await redis.smembers(runKeys.requesters(prefix, run.runId))).sort().flatMap((value) => {
    try {
      const [owner, repo, issueNumber, installationId] = JSON.parse(value) as unknown[];
      const parsed = replyTargetSchema.safeParse({ owner, repo, issueNumber, installationId });
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
  const targets = run.reply ? [run.reply, ...joined] : joined;
  const seen = new Set<string>();
  return targets.filter((target) => !seen.has(member(target)) && Boolean(seen.add(member(target))));
}
