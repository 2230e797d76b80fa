/** Stops the private redis-server that global setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.LICENSE_SYNC_TEST_REDIS_PID);
  if (pid > 0) {
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
  }
}
