import { spawn } from "node:child_process";
import { waitFor } from "../../support/wait.js";
import { isListening } from "../../support/global-setup.js";
import { freePort } from "../../support/ports.js";
import { alive, exits, processEnv, startNpm } from "./processes.js";

// Processes a failing test leaves behind are ended here, by pid.
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, "SIGKILL");
});

/** The pid of the node process npm started, from its first log line. */
async function nodePid(proc: ReturnType<typeof startNpm>, msg: RegExp): Promise<number> {
  const line = await proc.waitForLog(msg, 60_000);
  const pid = Number(line.pid);
  started.push(pid);
  return pid;
}

test("SIGTERM to the npm process of `npm start` stops the node web process (no orphan left serving)", async () => {
  const port = await freePort();
  const web = startNpm(
    "start",
    processEnv({ PORT: String(port), LOG_FORMAT: "json", LICENSE_SYNC_QUEUE_PREFIX: `ls-test-sigterm-${process.pid}` }),
  );
  started.push(web.npm.pid!);
  const pid = await nodePid(web, /web process listening/);
  expect(pid).not.toBe(web.npm.pid);

  web.npm.kill("SIGTERM");
  await web.exited;
  expect(await exits(pid, 15_000)).toBe(true);
  expect(await isListening("127.0.0.1", port)).toBe(false);
  expect(web.logs().map((line) => line.msg)).toContain("shutting down");
});

test("a worker whose Redis has gone away exits within LICENSE_SYNC_SHUTDOWN_GRACE_SECONDS of SIGTERM to `npm run worker`", async () => {
  const redisPort = await freePort();
  const redis = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(redisPort), "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  started.push(redis.pid!);
  await waitFor(
    "the private Redis",
    async () => ((await isListening("127.0.0.1", redisPort)) ? true : undefined),
    10_000,
    50,
  );

  const graceSeconds = 2;
  const worker = startNpm(
    "worker",
    processEnv({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      LOG_FORMAT: "json",
      LICENSE_SYNC_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
    }),
  );
  started.push(worker.npm.pid!);
  const pid = await nodePid(worker, /worker process started/);

  redis.kill("SIGTERM");
  await worker.waitForLog(/Redis connection lost/);
  worker.npm.kill("SIGTERM");
  // The bound under test: the grace period plus process start-up slack on a loaded machine,
  // well below what a drain waiting on Redis takes (the old code waited grace + 15 s).
  expect(await exits(pid, graceSeconds * 1000 + 5000)).toBe(true);
  await worker.exited;
  const messages = worker.logs().map((line) => String(line.msg));
  expect(messages).toContain("shutting down");
  // The lost connection is reported once, not once per reconnect attempt.
  expect(messages.filter((msg) => msg === "worker error")).toEqual([]);
});
