/**
 * The production processes against a Redis that needs a password, and one that speaks TLS: what
 * docs/deployment.md tells operators to run (compose's `requirepass`, a managed `rediss://`).
 * Each Redis here is private to this file and started on a free port.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { throwawayAppIdentity } from "../../support/app-key.js";
import { ROOT } from "../../support/cli.js";
import { freePort } from "../../support/ports.js";
import { waitFor } from "../../support/wait.js";

const dir = mkdtempSync(path.join(tmpdir(), "license-sync-redis-url-"));
const children: ChildProcess[] = [];

/** Polls `probe` until it answers; a probe that throws (a refused connection) means "not yet". */
function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  return waitFor(what, () => probe().catch(() => undefined), timeoutMs);
}

function startRedis(args: string[]): void {
  const child = spawn("redis-server", ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...args], {
    stdio: "ignore",
  });
  children.push(child);
}

/** Starts `node dist/<entry>` as a container would, and returns how its output ends. */
function startProcess(entry: "web.js" | "worker.js", env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(ROOT, "dist", entry)], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  return { child, output: () => output };
}

function baseEnv(port: number): Record<string, string> {
  const { privateKey, webhookSecret } = throwawayAppIdentity();
  const config = path.join(dir, "license-sync.config.yml");
  writeFileSync(config, "enterprise: acme\ncloud:\n  token: ${GHEC_TOKEN}\nadminRepository: acme/license-admin\n");
  writeFileSync(path.join(dir, "app.pem"), privateKey);
  writeFileSync(path.join(dir, "webhook_secret"), `${webhookSecret}\n`);
  return {
    APP_ID: "1",
    PRIVATE_KEY_PATH: path.join(dir, "app.pem"),
    WEBHOOK_SECRET_FILE: path.join(dir, "webhook_secret"),
    LICENSE_SYNC_SECRET: "redis-url-test-secret",
    LICENSE_SYNC_CONFIG: config,
    LICENSE_SYNC_QUEUE_PREFIX: `ls-test-redis-url-${process.pid}`,
    GHEC_TOKEN: "ghp-unused",
    PORT: String(port),
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
  };
}

const readyz = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return response.status === 200 ? true : undefined;
};

afterAll(async () => {
  for (const child of children.reverse()) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }
});

test("with REDIS_PASSWORD_FILE the web process reaches a Redis that requires a password; without it, it is refused", async () => {
  const redisPort = await freePort();
  startRedis(["--port", String(redisPort), "--requirepass", "p@ss/word:1"]);
  writeFileSync(path.join(dir, "redis_password"), "p@ss/word:1\n");

  const port = await freePort();
  const web = startProcess("web.js", {
    ...baseEnv(port),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    REDIS_PASSWORD_FILE: path.join(dir, "redis_password"),
  });
  expect(await until("the web process to be ready", () => readyz(port))).toBe(true);

  // The worker takes the token its config names from a file too, and leaves other tools' *_FILE alone.
  writeFileSync(path.join(dir, "ghec_token"), "ghp-from-file\n");
  const { GHEC_TOKEN: _token, ...workerEnv } = baseEnv(await freePort());
  const worker = startProcess("worker.js", {
    ...workerEnv,
    GHEC_TOKEN_FILE: path.join(dir, "ghec_token"),
    TF_CLI_CONFIG_FILE: path.join(dir, "no-such-file"),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    REDIS_PASSWORD_FILE: path.join(dir, "redis_password"),
  });
  // The worker registered with Redis under its connection name, so it authenticated.
  await until("the worker's connection", async () => {
    const list = spawnSync(
      "redis-cli",
      ["-p", String(redisPort), "--no-auth-warning", "-a", "p@ss/word:1", "CLIENT", "LIST"],
      { encoding: "utf8" },
    ).stdout;
    return /name=license-sync:worker:/.test(list) ? true : undefined;
  });
  expect(worker.child.exitCode).toBeNull();
  expect(`${web.output()}${worker.output()}`).not.toContain("p@ss/word:1");

  const denied = await freePort();
  startProcess("web.js", { ...baseEnv(denied), REDIS_URL: `redis://127.0.0.1:${redisPort}` });
  await until(
    "the web process without the password to answer",
    async () => (await fetch(`http://127.0.0.1:${denied}/healthz`)).status === 200 || undefined,
  );
  expect((await fetch(`http://127.0.0.1:${denied}/readyz`)).status).toBe(503);
});

test("a rediss:// URL connects over TLS, trusting the operator's CA through NODE_EXTRA_CA_CERTS", async () => {
  const openssl = (args: string[]) => expect(spawnSync("openssl", args, { cwd: dir, stdio: "ignore" }).status).toBe(0);
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=license-sync test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  ]);
  openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    "redis.key",
    "-out",
    "redis.csr",
  ]);
  writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl([
    "x509",
    "-req",
    "-in",
    "redis.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    "san.ext",
    "-out",
    "redis.pem",
  ]);

  const tlsPort = await freePort();
  startRedis([
    "--port",
    "0",
    "--tls-port",
    String(tlsPort),
    "--tls-cert-file",
    path.join(dir, "redis.pem"),
    "--tls-key-file",
    path.join(dir, "redis.key"),
    "--tls-ca-cert-file",
    path.join(dir, "ca.pem"),
    "--tls-auth-clients",
    "no",
    "--requirepass",
    "tls-pass",
  ]);

  const port = await freePort();
  startProcess("web.js", {
    ...baseEnv(port),
    REDIS_URL: `rediss://:tls-pass@127.0.0.1:${tlsPort}`,
    NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem"),
  });
  expect(await until("the web process to be ready over TLS", () => readyz(port))).toBe(true);

  // The same URL as plain redis:// is not Redis's protocol on a TLS port: not ready.
  const plain = await freePort();
  startProcess("web.js", { ...baseEnv(plain), REDIS_URL: `redis://:tls-pass@127.0.0.1:${tlsPort}` });
  await until(
    "the plain-text web process to answer",
    async () => (await fetch(`http://127.0.0.1:${plain}/healthz`)).status === 200 || undefined,
  );
  expect((await fetch(`http://127.0.0.1:${plain}/readyz`)).status).toBe(503);
});
