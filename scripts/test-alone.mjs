#!/usr/bin/env node
/**
 * `npm run test:alone [-- --jobs N] [path ...]`: runs every test file (or the files under the given
 * paths) in a Jest process of its own, and lists the files that fail alone. A file that passes in
 * `npm test` but fails here leans on state another file left behind (a Redis key, nock left
 * active, a global clock), which issue 11 asks us to rule out.
 *
 * Why one process per file, not `jest --runInBand`: in-band runs share one module registry per
 * worker and one Node process, which is exactly the sharing we want to exclude.
 *
 * Builds dist/ first when src/ changed (scripts/dist.js; end-to-end tiers run the built CLI), then runs `--jobs` files at a time
 * (default 2: the machine is shared). Exit code 1 when any file failed.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const args = process.argv.slice(2);
let jobs = 2;
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--jobs") jobs = Math.max(1, Number(args[++i]) || 1);
  else roots.push(args[i]);
}

/** Every `*.test.ts` under `dir`, sorted so runs are comparable. */
function testFiles(dir) {
  const stat = statSync(dir);
  if (stat.isFile()) return dir.endsWith(".test.ts") ? [dir] : [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (name === "node_modules" ? [] : testFiles(join(dir, name))));
}

const files = (roots.length > 0 ? roots : ["test"]).flatMap((r) => testFiles(resolve(root, r)));
if (files.length === 0) {
  console.error(`test:alone: no *.test.ts under ${roots.join(", ") || "test"}`);
  process.exit(2);
}

const build = spawnSync(process.execPath, [join(root, "scripts", "dist.js")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const jest = join(root, "node_modules", "jest", "bin", "jest.js");
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --experimental-vm-modules`.trim() };

/** Runs one file alone; resolves with its exit code, seconds taken and the tail of its output. */
function runAlone(file) {
  const started = process.hrtime.bigint();
  return new Promise((done) => {
    const child = spawn(process.execPath, [jest, "--ci", "--runTestsByPath", file], { cwd: root, env });
    let output = "";
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-6000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("close", (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      done({ file: relative(root, file), code: code ?? (signal ? 1 : 0), seconds, output });
    });
  });
}

const results = [];
let next = 0;
async function lane() {
  while (next < files.length) {
    const file = files[next++];
    const result = await runAlone(file);
    results.push(result);
    const mark = result.code === 0 ? "pass" : "FAIL";
    console.log(`${mark} ${result.file} (${result.seconds.toFixed(1)} s) [${results.length}/${files.length}]`);
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, lane));

const failed = results.filter((r) => r.code !== 0).sort((a, b) => a.file.localeCompare(b.file));
for (const failure of failed) {
  console.log(`\n──── ${failure.file} (exit ${failure.code}) ────\n${failure.output.trimEnd()}`);
}
console.log(`\n${results.length - failed.length} of ${results.length} test files pass alone, ${failed.length} fail`);
for (const failure of failed) console.log(`  failed alone: ${failure.file}`);
process.exitCode = failed.length > 0 ? 1 : 0;
