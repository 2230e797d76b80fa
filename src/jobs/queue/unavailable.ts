import type { Redis } from "ioredis";

/**
 * Redis cannot take the request. Carries HTTP status 503: @octokit/webhooks answers a failed
 * delivery with the error's `status`, so GitHub sees 503 and the delivery can be redelivered.
 */
export class QueueUnavailableError extends Error {
  readonly status = 503;
  constructor(reason: string) {
    super(`The run queue is unavailable (${reason}); try again shortly.`);
    this.name = "QueueUnavailableError";
  }
}

/** What ioredis, and the socket under it, say while the connection is down or going down. */
const REDIS_DOWN =
  /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN/i;

/**
 * True when an error says the Redis connection is down or going down, not that a command failed:
 * the web process answers 503 then, the worker logs it once, and a run's failure counts as `redis`.
 *
 * @example isRedisDown(new Error("Connection is closed.")) // true
 */
export function isRedisDown(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return REDIS_DOWN.test(`${typeof code === "string" ? code : ""} ${typeof message === "string" ? message : ""}`);
}

/**
 * Runs a queue call only when Redis is connected, and gives up after `timeoutMs`: BullMQ waits
 * for a connection that is not ready, which would hold a webhook delivery until GitHub's own
 * timeout instead of answering 503 at once.
 *
 * @example const job = await guardQueueCall(redis, () => queue.add(name, data), 3000);
 */
export async function guardQueueCall<T>(redis: Redis, call: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  if (redis.status !== "ready") throw new QueueUnavailableError(`Redis connection is ${redis.status}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    if (error instanceof QueueUnavailableError) throw error;
    if (isRedisDown(error)) throw new QueueUnavailableError((error as Error).message);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
