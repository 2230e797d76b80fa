import { spawn, spawnSync } from "node:child_process";
import net from "node:net";

/** Resolves true when something accepts TCP connections on host:port within `timeoutMs`. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Makes sure a Redis answers at `url`. When nothing listens there and `redis-server` is on the
 * PATH, starts a private, non-persistent one and returns its pid so the caller can stop it.
 *
 * @example
 *   const pid = await ensureRedis("redis://127.0.0.1:6379"); // undefined when one was running
 */
export async function ensureRedis(url: string): Promise<number | undefined> {
  const { hostname, port } = new URL(url);
  const host = hostname || "127.0.0.1";
  const portNumber = Number(port || 6379);
  if (await isListening(host, portNumber)) return undefined;
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    throw new Error(
      `Nothing listens on ${url} and redis-server is not installed: install it (apt-get install -y redis-server) or set REDIS_URL.`,
    );
  }
  const child = spawn(
    "redis-server",
    ["--bind", host, "--port", String(portNumber), "--save", "", "--appendonly", "no"],
    {
      detached: true,
      stdio: "ignore",
    },
  );
  child.unref();
  for (let i = 0; i < 50; i++) {
    if (await isListening(host, portNumber)) return child.pid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Started redis-server on ${url} but it did not answer within 5 s.`);
}

/** Jest global setup: the suite needs a real Redis (docs/architecture.md, `npm test`). */
export default async function globalSetup(): Promise<void> {
  const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  process.env.REDIS_URL = url;
  const pid = await ensureRedis(url);
  if (pid !== undefined) process.env.LICENSE_SYNC_TEST_REDIS_PID = String(pid);
}
