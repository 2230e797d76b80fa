import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { DestinationStream } from "pino";
import { startEmbedded, type Embedded, type EmbeddedOptions } from "../../support/app-harness.js";
import { QUEUE_NAME } from "../../../src/jobs/queue/names.js";
import { createRootLogger } from "../../../src/runtime/logger.js";

export { waitFor } from "../../support/wait.js";
export { OWNER, REPO, INSTALLATION_ID } from "../../support/app-harness.js";

export const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example"];

/** The embedded product plus a read-only view of its queue for assertions. */
export interface Harness extends Embedded {
  prefix: string;
  redisUrl: string;
  /** Queue `license-sync` on its own connection, to inspect jobs. */
  inspect: Queue;
  /** A plain connection to read keys. */
  redis: Redis;
}

/**
 * Starts the real web process, real workers and the simulator on the suite's Redis, under a key
 * prefix of its own so test files never see each other's jobs.
 *
 * @example const h = await startHarness("dedup", { workers: 2 });
 */
export async function startHarness(
  name: string,
  harnessOptions: Partial<Omit<EmbeddedOptions, "prefix" | "logger">> & { logTo?: DestinationStream } = {},
): Promise<Harness> {
  const { logTo, ...options } = harnessOptions;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `ls-test-${name}-${process.pid}-${Date.now().toString(36)}`;
  // `logTo`: every line at trace level, as JSON, for tests of the lines themselves.
  const logger = logTo
    ? await createRootLogger({ level: "trace", format: "json", destination: logTo })
    : await createRootLogger({
        level: (process.env.TEST_LOG_LEVEL as "silent" | undefined) ?? "silent",
        format: "json",
      });
  const env = await startEmbedded({
    redisUrl,
    prefix,
    logger,
    dataset: { seed: 11, persons: 300, hosts: HOSTS },
    tuning: { lockDurationMs: 5000, stalledIntervalMs: 1000 },
    ...options,
  });
  // Inspection goes straight to Redis, never through a test's proxy.
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
    connectionName: `license-sync:test:${name}:inspect`,
  });
  const inspect = new Queue(QUEUE_NAME, { connection: redis, prefix });
  return {
    ...env,
    prefix,
    redisUrl,
    inspect,
    redis,
    async close() {
      await inspect.close();
      await env.close();
      await redis.quit();
    },
  };
}
