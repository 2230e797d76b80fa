import { ensureRedis } from "./redis-server.js";

/** Jest global setup: the suite needs a real Redis (ARCHITECTURE.md, `npm test`). */
export default async function globalSetup(): Promise<void> {
  const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  process.env.REDIS_URL = url;
  const pid = await ensureRedis(url);
  if (pid !== undefined) process.env.LICENSE_SYNC_TEST_REDIS_PID = String(pid);
}
