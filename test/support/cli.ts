import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const fixture = (path: string) => `${ROOT}fixtures/${path}`;

/** Runs the built `license-sync` command (bin -> dist), as `npx license-sync` would. */
export function licenseSync(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [`${ROOT}bin/license-sync.js`, ...args], { encoding: "utf8", env: { ...process.env, ...env }, cwd: ROOT });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const ACME_ARGS = [
  "--server", `ghes-a.acme.example=${fixture("acme/ghes-a.all_users.csv")}`,
  "--server", `ghes-b.acme.example=${fixture("acme/ghes-b.all_users.csv")}`,
  "--cloud", fixture("acme/consumed-licenses.json"),
  "--identities", fixture("acme/external-identities.json"),
];
