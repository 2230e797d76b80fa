import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** What one measured child process did. */
export interface Measurement {
  wallMs: number;
  /** Peak resident set size of the child, in MiB (from the child's own `resourceUsage`). */
  peakRssMiB: number;
  exitCode: number | null;
  stderr: string;
}

const RSS_REPORTER = fileURLToPath(new URL("./rss-reporter.js", import.meta.url));

/**
 * Runs `node <args>` as a child with a preloaded reporter that records the child's peak RSS on
 * exit, so each measurement is one process's own peak, not the harness's.
 */
export function measureNode(
  args: string[],
  env: Record<string, string> = {},
  onChild?: (child: ChildProcess) => void,
): Promise<Measurement> {
  const rssFile = path.join(tmpdir(), `license-sync-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", RSS_REPORTER, ...args], {
      env: { ...process.env, ...env, LICENSE_SYNC_RSS_FILE: rssFile },
      stdio: ["ignore", onChild ? "pipe" : "ignore", "pipe"],
    });
    onChild?.(child);
    let stderr = "";
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let peakRssMiB = NaN;
      try {
        peakRssMiB = Number(readFileSync(rssFile, "utf8")) / 1024;
        rmSync(rssFile);
      } catch {
        // the child died before reporting
      }
      resolve({ wallMs, peakRssMiB, exitCode, stderr });
    });
  });
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A size multiplied by BENCH_SCALE (at least 1), for quick runs of the whole benchmark. */
export function scaled(size: number, scale: number): number {
  return Math.max(1, Math.round(size * scale));
}

/** Milliseconds as `12.34 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
