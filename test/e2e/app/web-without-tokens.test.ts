import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "../../support/cli.js";
import { freePort } from "../../support/ports.js";
import { waitFor } from "../../support/wait.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const dir = mkdtempSync(path.join(tmpdir(), "license-sync-web-"));
const configPath = path.join(dir, "license-sync.config.yml");
writeFileSync(
  configPath,
  [
    "enterprise: acme",
    "cloud:",
    "  token: ${GHEC_TOKEN}",
    "adminRepository: acme/license-admin",
    "servers:",
    "  - hostname: ghes-a.corp.example",
    "    url: https://ghes-a.corp.example",
    "    token: ${GHES_A_TOKEN}",
    "",
  ].join("\n"),
);

/** The process environment of a deployment, without any GitHub token variable (nothing inherited but PATH). */
function envWithoutTokens(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    APP_ID: "12345",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: "hook-secret",
    LICENSE_SYNC_SECRET: "s3cret-for-hmac",
    LICENSE_SYNC_CONFIG: configPath,
    LICENSE_SYNC_QUEUE_PREFIX: `web-no-tokens-${process.pid}`,
    PORT: String(port),
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
  };
}

function run(script: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [`${ROOT}dist/${script}`], { env, cwd: dir });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

test("the web process starts and serves /healthz with no GHES or GHEC token in its environment", async () => {
  const port = await freePort();
  const web = run("web.js", envWithoutTokens(port));
  try {
    const health = await waitFor(
      "the web process to listen",
      () => fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined),
      10_000,
      50,
    );
    expect(web.output()).not.toMatch(/is not set/);
    expect(health?.status).toBe(200);
  } finally {
    web.child.kill("SIGTERM");
    await web.exited;
  }
});

test("a worker with the same environment refuses to start, naming the variable and the key (exit 2)", async () => {
  const worker = run("worker.js", envWithoutTokens(await freePort()));
  expect(await worker.exited).toBe(2);
  expect(worker.output()).toMatch(
    /license-sync worker: .*license-sync\.config\.yml, cloud\.token: environment variable GHEC_TOKEN is not set\. Set GHEC_TOKEN/,
  );
});
