import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { ROOT } from "../../support/cli.js";

// A checkout in miniature: the real bin/ and scripts/, a one-file src/ and a dist/cli.js that says
// it ran. Times are set explicitly (utimes), so nothing waits for a clock to move.
const BUILT = new Date("2026-01-01T00:00:00Z");
const LATER = new Date("2026-01-02T00:00:00Z");
let checkout: string;

const run = (script: string) => {
  const result = spawnSync(process.execPath, [join(checkout, script), "--version"], {
    cwd: checkout,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const at = (path: string, time: Date) => utimesSync(join(checkout, path), time, time);

beforeEach(() => {
  checkout = mkdtempSync(join(tmpdir(), "license-sync-checkout-"));
  cpSync(join(ROOT, "bin"), join(checkout, "bin"), { recursive: true });
  cpSync(join(ROOT, "scripts"), join(checkout, "scripts"), { recursive: true });
  writeFileSync(join(checkout, "package.json"), '{ "type": "module" }\n');
  writeFileSync(join(checkout, "tsconfig.json"), "{}\n");
  writeFileSync(
    join(checkout, "tsconfig.build.json"),
    JSON.stringify({
      compilerOptions: {
        module: "NodeNext",
        target: "ES2023",
        types: [],
        rootDir: "src",
        outDir: "dist",
        incremental: true,
        tsBuildInfoFile: "dist/.tsbuildinfo",
      },
      include: ["src"],
    }),
  );
  mkdirSync(join(checkout, "src"));
  writeFileSync(join(checkout, "src/cli.ts"), 'console.log("built from src");\n');
  mkdirSync(join(checkout, "dist"));
  writeFileSync(join(checkout, "dist/cli.js"), 'console.log("ran dist");\n');
  writeFileSync(join(checkout, "dist/.tsbuildinfo"), "{}\n");
  for (const path of ["src/cli.ts", "src", "tsconfig.json", "tsconfig.build.json"]) at(path, BUILT);
  at("dist/.tsbuildinfo", BUILT);
});
afterEach(() => rmSync(checkout, { recursive: true, force: true }));

describe("bin/license-sync.js inside a checkout", () => {
  it("runs dist/ without a word when it is as new as src/", () => {
    expect(run("bin/license-sync.js")).toEqual({ code: 0, stdout: "ran dist\n", stderr: "" });
  });

  it("says which source changed since the build, suggests npm run build, and still runs", () => {
    at("src/cli.ts", LATER);
    const { code, stdout, stderr } = run("bin/license-sync.js");
    expect(code).toBe(0);
    expect(stdout).toBe("ran dist\n");
    expect(stderr).toContain("dist/ is older than src/ (src/cli.ts changed since the last build)");
    expect(stderr).toContain("npm run build");
  });

  it("counts a deleted source (its directory changed) and a changed tsconfig as changes", () => {
    at("src", LATER);
    expect(run("bin/license-sync.js").stderr).toContain("(src changed since the last build)");
    at("src", BUILT);
    at("tsconfig.build.json", LATER);
    expect(run("bin/license-sync.js").stderr).toContain("(tsconfig.build.json changed since the last build)");
  });

  it("stops with exit 1 naming npm run build when dist/ is missing", () => {
    rmSync(join(checkout, "dist"), { recursive: true });
    const { code, stdout, stderr } = run("bin/license-sync.js");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("dist/ is missing in this checkout: run `npm run build`");
  });

  it("checks nothing once installed (no src/ beside bin/)", () => {
    rmSync(join(checkout, "src"), { recursive: true });
    rmSync(join(checkout, "dist/.tsbuildinfo"));
    expect(run("bin/license-sync.js")).toEqual({ code: 0, stdout: "ran dist\n", stderr: "" });
  });
});

describe("scripts/dist.js (npm test's pretest, npm run cli)", () => {
  it("does nothing when dist/ is fresh", () => {
    expect(run("scripts/dist.js")).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("builds when a source changed, and the next run finds dist/ fresh even if tsc wrote nothing", () => {
    symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
    at("src/cli.ts", LATER);
    const build = run("scripts/dist.js");
    expect(build.code).toBe(0);
    expect(build.stderr).toContain("src/cli.ts changed: building dist/");
    expect(run("bin/license-sync.js")).toEqual({ code: 0, stdout: "built from src\n", stderr: "" });
    // Touched, not edited: tsc rewrites nothing, the stamp still moves.
    at("src/cli.ts", new Date());
    expect(run("scripts/dist.js").code).toBe(0);
    expect(run("scripts/dist.js")).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});
