// dist/ of this checkout: is it current with src/, and build it when it is not.
//
// Why: `npm test` and `npm run cli` used to run a full `tsc` first even when nothing changed (an
// incremental no-op still parses every file: about 7 s here), and bin/license-sync.js ran a stale
// dist/ after an edit without a word. Only checkouts load this file: the published package has no
// src/ (package.json "files"), so the installed CLI never pays for the walk below.
//
// `node scripts/dist.js` builds when dist/ is missing or older than its inputs, else returns at
// once; `npm test` (pretest) and `npm run cli` run it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Written by every build (tsc's own incremental state), so its time is the build's time. */
const STAMP = "dist/.tsbuildinfo";
/** What dist/ is compiled from; a directory's time changes when a file in it is added or deleted. */
const INPUTS = ["src", "tsconfig.json", "tsconfig.build.json"];

/** The newest input below `path` (files and directories), as [mtimeMs, path]. */
function newest(path) {
  const stat = statSync(path);
  let best = [stat.mtimeMs, path];
  if (stat.isDirectory())
    for (const entry of readdirSync(path)) {
      const candidate = newest(join(path, entry));
      if (candidate[0] > best[0]) best = candidate;
    }
  return best;
}

/**
 * Whether dist/ under `root` matches its inputs: `missing` (never built), `stale` (an input is
 * newer than the last build; `changed` names one) or `fresh`.
 *
 * @example
 *   distState().state; // "fresh" right after `npm run build`
 */
export function distState(root = ROOT) {
  const stamp = join(root, STAMP);
  if (!existsSync(join(root, "dist/cli.js")) || !existsSync(stamp)) return { state: "missing" };
  const built = statSync(stamp).mtimeMs;
  const [changedAt, changed] = INPUTS.map((input) => newest(join(root, input))).reduce((a, b) => (b[0] > a[0] ? b : a));
  return changedAt > built ? { state: "stale", changed: relative(root, changed) } : { state: "fresh" };
}

/**
 * Builds dist/ when it is not fresh; returns tsc's exit code (0 when nothing needed building).
 * The stamp gets the time the build started: tsc rewrites nothing when only a file's time changed,
 * and a file saved while tsc ran must still count as newer than the build.
 */
export function buildWhenStale(root = ROOT) {
  const { state, changed } = distState(root);
  if (state === "fresh") return 0;
  console.warn(state === "missing" ? "dist/ is missing: building it" : `${changed} changed: building dist/`);
  const started = new Date();
  const tsc = spawnSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (tsc.status !== 0) return tsc.status ?? 1;
  utimesSync(join(root, STAMP), started, started);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = buildWhenStale();
