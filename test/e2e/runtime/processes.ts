import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { throwawayAppIdentity } from "../../support/app-key.js";
import { waitFor } from "../../support/wait.js";
import { ROOT } from "../../support/cli.js";

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The environment `npm start` / `npm run worker` need: a throwaway App key, a minimal deployment config. */
export function processEnv(extra: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), "ls-proc-"));
  const configPath = path.join(dir, "license-sync.config.yml");
  writeFileSync(configPath, "enterprise: acme\ncloud:\n  token: ghp-unused\nadminRepository: acme/license-admin\n");
  const { privateKey, webhookSecret } = throwawayAppIdentity();
  // Only what npm and node need from this environment: no stray variables (e.g. a `*_FILE` the
  // process would read as a secret file) and no Jest NODE_OPTIONS.
  const inherited = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? tmpdir(),
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  };
  return {
    ...inherited,
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: webhookSecret,
    LICENSE_SYNC_SECRET: "process-test-secret",
    LICENSE_SYNC_CONFIG: configPath,
    ...extra,
  };
}

/** A process started through npm, as an operator would, with every line it printed. */
export interface NpmProcess {
  npm: ChildProcess;
  /** Lines of standard output and standard error, in arrival order. */
  lines: string[];
  /** Resolves with npm's exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Parsed JSON log lines. */
  logs(): Array<Record<string, unknown>>;
  /** Waits for a JSON log line whose `msg` matches. */
  waitForLog(msg: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Starts `npm run <script>` in the repository root (needs `npm run build`). */
export function startNpm(script: "start" | "worker", env: Record<string, string>): NpmProcess {
  const npm = spawn("npm", ["run", "--silent", script], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts.filter((line) => line.trim() !== ""));
    });
    stream.on("end", () => rest.trim() && lines.push(rest));
  };
  collect(npm.stdout!);
  collect(npm.stderr!);
  let ended = false;
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    npm.once("exit", (code, signal) => ((ended = true), resolve(code ?? signal))),
  );
  const logs = () =>
    lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    npm,
    lines,
    exited,
    logs,
    waitForLog: (msg, timeoutMs = 30_000) =>
      waitFor(
        `a log line matching ${msg}`,
        async () => {
          const found = logs().find((line) => msg.test(String(line.msg)));
          if (!found && ended) throw new Error(`npm run ${script} exited before logging ${msg}:\n${lines.join("\n")}`);
          return found;
        },
        timeoutMs,
        50,
      ),
  };
}

/** Waits until `pid` is gone; false if it is still there after `timeoutMs`. */
export async function exits(pid: number, timeoutMs: number): Promise<boolean> {
  return waitFor(`process ${pid} to exit`, async () => (alive(pid) ? undefined : true), timeoutMs, 50).catch(
    () => false,
  );
}
