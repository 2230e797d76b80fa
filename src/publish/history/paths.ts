import { isoWeek } from "../iso-week.js";

/** Where snapshots live in the admin repository. */
export const HISTORY_ROOT = "license-usage/history";

const FILE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z-(.+)\.json$/;

/** A run id made safe for a file name (letters, digits, `.`, `_`, `-`). */
export function safeRunId(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 100) || "run";
}

/**
 * The snapshot path of a run: `license-usage/history/YYYY/YYYY-MM-DDTHHmmssZ-<runId>.json`.
 *
 * @example snapshotPath(new Date("2026-11-24T06:03:12Z"), "r1") // "license-usage/history/2026/2026-11-24T060312Z-r1.json"
 */
export function snapshotPath(at: Date, runId: string): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "");
  return `${HISTORY_ROOT}/${stamp.slice(0, 4)}/${stamp}-${safeRunId(runId)}.json`;
}

/** The per-person CSV committed beside a snapshot: `…-people.csv`. */
export function peopleCsvPath(snapshot: string): string {
  return snapshot.replace(/\.json$/, "-people.csv");
}

/** A snapshot file name read back: when it was taken and its ISO week; null for other files. */
export function parseSnapshotName(name: string): { at: Date; week: string; runId: string } | null {
  const match = FILE.exec(name);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, runId] = match;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  if (Number.isNaN(at.getTime())) return null;
  return { at, week: isoWeek(at).label, runId: runId! };
}
