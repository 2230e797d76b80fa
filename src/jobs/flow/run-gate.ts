import type { Redis } from "ioredis";
import { QUEUE_NAME, parentJobId, runKeys } from "../queue/names.js";

/**
 * Claims the enterprise for `runId` unless another run holds it. A run holds the enterprise
 * while its parent job exists and has not finished (no `finishedOn`): the job's state is the
 * truth, so a crashed worker never leaves the enterprise locked. Right after a claim, before the
 * flow exists, the claim holds for `graceMs`; a run older than `maxRunMs` (its stored
 * collections have expired anyway) no longer holds it.
 *
 * KEYS[1] the enterprise's active-run hash (`run`, `since`); ARGV: the claiming run's parent job
 * id, the queue's job key prefix, now (ms), grace (ms), longest run (ms). Returns the holder's
 * id, or nil.
 */
const CLAIM = `
local current = redis.call('HGET', KEYS[1], 'run')
if current and current ~= ARGV[1] then
  local jobKey = ARGV[2] .. current
  if redis.call('EXISTS', jobKey) == 1 then
    local created = tonumber(redis.call('HGET', jobKey, 'timestamp') or '0')
    local running = redis.call('HEXISTS', jobKey, 'finishedOn') == 0
    if running and tonumber(ARGV[3]) - created < tonumber(ARGV[5]) then return current end
  else
    local since = tonumber(redis.call('HGET', KEYS[1], 'since') or '0')
    if tonumber(ARGV[3]) - since < tonumber(ARGV[4]) then return current end
  end
end
redis.call('HSET', KEYS[1], 'run', ARGV[1], 'since', ARGV[3])
return false
`;

export interface RunGateOptions {
  redis: Redis;
  /** BullMQ key prefix of the queue. */
  prefix: string;
  /** How long a fresh claim holds before its flow exists (default 60 s). */
  graceMs?: number;
  /** After this long a run stops holding the enterprise, finished or not (`runHoldBoundMs`; default one day, the run store's TTL). */
  maxRunMs?: number;
}

/**
 * One run per enterprise at a time. BullMQ refuses deduplication on flow parents, so the
 * pending run is a deduplicated `start-run` job, and this gate keeps it waiting until the
 * enterprise's current run has finished.
 *
 * @example
 *   const holder = await claimEnterprise({ redis, prefix }, "acme", runId);
 *   if (holder) await job.moveToDelayed(Date.now() + 5000, token); // busy with run `holder`
 */
export async function claimEnterprise(
  options: RunGateOptions,
  enterprise: string,
  runId: string,
  now = Date.now(),
): Promise<string | null> {
  const { redis, prefix } = options;
  const holder = (await redis.eval(
    CLAIM,
    1,
    runKeys.activeRun(prefix, enterprise),
    parentJobId(runId),
    `${prefix}:${QUEUE_NAME}:`,
    String(now),
    String(options.graceMs ?? 60_000),
    String(options.maxRunMs ?? 24 * 3600 * 1000),
  )) as string | null;
  return holder;
}

const RELEASE = `
if redis.call('HGET', KEYS[1], 'run') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Gives up a claim that never got its flow (the start job failed), so the next run need not wait out the grace. */
export async function releaseEnterprise(options: RunGateOptions, enterprise: string, runId: string): Promise<void> {
  await options.redis.eval(RELEASE, 1, runKeys.activeRun(options.prefix, enterprise), parentJobId(runId));
}
