import { Redis } from "ioredis";

/** True when a Redis answers PING at `url` within a second or two. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    connectionName: "license-sync:demo:probe",
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** What to tell someone without a Redis. */
export function howToStartRedis(url: string): string {
  return [
    `license-sync demo: no Redis answers at ${url}.`,
    "",
    "Start one, then run `npm run demo` again:",
    "  docker run --rm -d -p 6379:6379 --name license-sync-redis redis:7-alpine",
    "  # or, with Redis installed locally:",
    "  redis-server --port 6379 --save '' --appendonly no --daemonize yes",
    "",
    "Or point REDIS_URL at a Redis you have (the demo only touches keys under its own prefix and deletes them).",
  ].join("\n");
}
