import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { parentJobId, runKeys } from "../queue/names.js";

/**
 * Takes the gate for ARGV[1] if it is free, already ARGV[1]'s, or still held by ARGV[2], the
 * holder the caller found finished or lapsed (compare-and-set: a claim made since that check
 * wins). The script touches KEYS[1] only, so it runs on Redis Cluster; BullMQ's job state is
 * read beforehand through BullMQ's own API, never from inside the script.
 *
 * KEYS[1] the enterprise's active-run hash (`run`, `since`); ARGV: claiming run, lapsed holder
 * (empty for none), now (ms). Returns the holder's id, or nil when the claim was taken.
 */
const CLAIM = `
local current = redis.call('HGET', KEYS[1], 'run')
if current and current ~= ARGV[1] and current ~= ARGV[2] then return current end
redis.call('HSET', KEYS[1], 'run', ARGV[1], 'since', ARGV[3])
return false
`;

/** KEYS[1] the enterprise's active-run hash; ARGV[1] the run giving it up. Deletes it only for its holder. */
const RELEASE = `
if redis.call('HGET', KEYS[1], 'run') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** A claim that raced with another one is examined again this many times before the start job just waits. */
const CLAIM_ATTEMPTS = 3;

export interface RunGateOptions {
  redis: Redis;
  /** BullMQ key prefix of the queue. */
  prefix: string;
  /** The queue of the runs' flows: a holder's parent job is looked up through it. */
  queue: Pick<Queue, "getJob">;
  /** How long a fresh claim holds before its flow exists (default 60 s). */
  graceMs?: number;
  /** After this long a run stops holding the enterprise, finished or not (`runHoldBoundMs`; default one day, the run store's TTL). */
  maxRunMs?: number;
}

/**
 * Whether `holder` still holds the enterprise at `now`: while its parent job exists and has not
 * finished (the job's state is the truth, so a crashed or stalled worker never leaves the
 * enterprise locked: BullMQ retries or fails the job, and either ends the hold), for at most
 * `maxRunMs` after the job was created; before its flow exists, for `graceMs` after the claim.
 */
async function stillHolds(options: RunGateOptions, holder: string, since: number, now: number): Promise<boolean> {
  const parent = await options.queue.getJob(parentJobId(holder));
  if (!parent) return now - since < (options.graceMs ?? 60_000);
  return parent.finishedOn === undefined && now - parent.timestamp < (options.maxRunMs ?? 24 * 3600 * 1000);
}

/**
 * One run per enterprise at a time. BullMQ refuses deduplication on flow parents, so the
 * pending run is a deduplicated `start-run` job, and this gate keeps it waiting until the
 * enterprise's current run has finished. Claims `enterprise` for `runId` unless another run
 * holds it; answers that run's id, or null once the claim is taken.
 *
 * @example
 *   const holder = await claimEnterprise({ redis, prefix, queue }, "acme", runId);
 *   if (holder) await job.moveToDelayed(Date.now() + 5000, token); // busy with run `holder`
 */
export async function claimEnterprise(
  options: RunGateOptions,
  enterprise: string,
  runId: string,
  now = Date.now(),
): Promise<string | null> {
  const key = runKeys.activeRun(options.prefix, enterprise);
  const claimant = parentJobId(runId);
  let holder: string | null = null;
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const [current, since] = await options.redis.hmget(key, "run", "since");
    const lapsed = current && current !== claimant && !(await stillHolds(options, current, Number(since), now));
    if (current && current !== claimant && !lapsed) return current;
    holder = (await options.redis.eval(CLAIM, 1, key, claimant, lapsed ? current : "", String(now))) as string | null;
    if (holder === null) return null;
  }
  // Claims kept racing: the start job waits and tries again, as for any busy enterprise.
  return holder;
}

/** Gives up a claim that never got its flow (the start job failed), so the next run need not wait out the grace. */
export async function releaseEnterprise(options: RunGateOptions, enterprise: string, runId: string): Promise<void> {
  await options.redis.eval(RELEASE, 1, runKeys.activeRun(options.prefix, enterprise), parentJobId(runId));
}
