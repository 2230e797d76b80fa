import type { Redis } from "ioredis";
import type { Log } from "../shared/index.js";

/** True when Redis answers PING within `timeoutMs`. */
export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  if (redis.status !== "ready") return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      redis.ping(),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
    ]);
    return answer === "PONG";
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Logs a connection's ups and downs once per change instead of once per reconnect attempt, and
 * keeps ioredis from printing "Unhandled error event" for every failed attempt.
 *
 * @example watchRedis(redis, logger, "producer");
 */
export function watchRedis(redis: Redis, logger: Log, role: string): void {
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ role, err: error.message }, "Redis connection lost; retrying");
  });
  redis.on("ready", () => {
    if (down) logger.info({ role }, "Redis connection back");
    down = false;
  });
}
