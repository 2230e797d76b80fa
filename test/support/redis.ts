import { Redis } from "ioredis";

/** A connection to the suite's Redis and a key prefix of the test file's own. */
export function testRedis(name: string): { redis: Redis; prefix: string } {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
    connectionName: `license-sync:test:${name}`,
  });
  return { redis, prefix: `ls-test-${name}-${process.pid}-${Date.now().toString(36)}` };
}

/** Deletes the test's keys and closes the connection. */
export async function dropTestRedis(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.unlink(...keys);
  await redis.quit();
}
