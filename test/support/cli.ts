import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const fixture = (path: string) => `${ROOT}fixtures/${path}`;

/** Runs the built `license-sync` command (bin -> dist), as `npx license-sync` would. */
export function licenseSync(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [`${ROOT}bin/license-sync.js`, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    cwd: ROOT,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const ACME_ARGS = [
  "--server",
  `ghes-a.acme.example=${fixture("acme/ghes-a.all_users.csv")}`,
  "--server",
  `ghes-b.acme.example=${fixture("acme/ghes-b.all_users.csv")}`,
  "--cloud",
  fixture("acme/consumed-licenses.json"),
  "--identities",
  fixture("acme/external-identities.json"),
];

/**
 * The built command, asynchronously: tests whose simulator runs in this process must not block
 * the event loop while the command talks to it.
 */
export function licenseSyncAsync(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const merged = Object.fromEntries(
      Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined),
    );
    const child = spawn(process.execPath, [`${ROOT}bin/license-sync.js`, ...args], { env: merged, cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
