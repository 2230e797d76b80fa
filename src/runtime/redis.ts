import { hostname } from "node:os";
import { Redis } from "ioredis";

/** What a connection is for; it decides how the connection behaves when Redis is away. */
export type RedisRole =
  /** Adds jobs and answers probes: fails at once when Redis is down so a webhook can answer 503. */
  | "producer"
  /** BullMQ workers: waits for Redis to come back (blocking commands need `maxRetriesPerRequest: null`). */
  | "worker";

export interface RedisConnectionOptions {
  url: string;
  /** `web` or `worker`: the process, part of the connection name. */
  process: string;
  role: RedisRole;
  /** Connect timeout of producers, ms (default 2000). */
  connectTimeoutMs?: number;
}

/**
 * `license-sync:web:host-1:4242:producer`: who holds a connection, as `CLIENT LIST` shows it, so
 * an operator can tell the processes apart on a shared Redis.
 */
export function connectionName(processName: string, role: string): string {
  return `license-sync:${processName}:${hostname()}:${process.pid}:${role}`;
}

/**
 * Opens one named ioredis connection. The caller owns it and must `closeRedis` it: BullMQ does
 * not close connections it was given.
 *
 * @example
 *   const redis = createRedisConnection({ url: process.env.REDIS_URL!, process: "web", role: "producer" });
 *   await closeRedis(redis);
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const name = connectionName(options.process, options.role);
  const retryStrategy = (times: number) => Math.min(times * 250, 5000);
  // Closing a connection that never came up waits this long for its socket (ioredis: 2 s),
  // holding a stopping process for nothing.
  const disconnectTimeout = 300;
  if (options.role === "producer") {
    return new Redis(options.url, {
      connectionName: name,
      // Fail fast: no offline queue, one try, a short connect timeout. A command issued while
      // Redis is away rejects at once instead of hanging a webhook delivery.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      retryStrategy,
      disconnectTimeout,
    });
  }
  return new Redis(options.url, { connectionName: name, maxRetriesPerRequest: null, retryStrategy, disconnectTimeout });
}

/** Closes politely (QUIT) when connected, at once otherwise; never throws. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  if (redis.status === "ready") {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through to a hard disconnect
    }
  }
  redis.disconnect(false);
}

/** Resolves when the connection is ready, or rejects after `timeoutMs`. */
export function redisReady(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}
