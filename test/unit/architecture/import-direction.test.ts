/**
 * The house rule of src/: folders are the pipeline's steps, imports go with the data flow (a
 * folder imports only folders below it in LAYERS), and a folder is entered through its
 * index.ts. Read from the import specifiers of every file, with no parser beyond a regular
 * expression: specifiers in this code base are always plain string literals. A room (a folder
 * of a step) may have its own index.ts too, where loading the whole step would cost: the
 * command line's `report` reads and renders without loading Octokit.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../support/cli.js";

/**
 * Folders of src/, lowest first. A folder may import only folders listed before it; the entry
 * points (src/*.ts) sit above everything. Why this order: `shared` holds the types and text
 * primitives every step speaks; `privacy` keys and masks emails as they are read; `config` is
 * parsed before anything talks to GitHub; `github` is the clients; then the data flow itself
 * (`collect` -> `reconcile` -> `publish`); `metrics` observes finished runs; `pipeline` strings
 * one run together for the worker and the CLI; `jobs` runs it on the queue; `chat` and
 * `handlers` answer GitHub's webhooks by enqueueing; `runtime` boots the processes; `cli` is the
 * command line.
 */
const LAYERS = [
  "shared",
  "privacy",
  "config",
  "github",
  "collect",
  "reconcile",
  "publish",
  "metrics",
  "pipeline",
  "jobs",
  "chat",
  "handlers",
  "runtime",
  "cli",
] as const;

const ENTRY = "(entry point)";

/**
 * Every specifier a module loads: `from "..."` (imports and `export ... from`, type-only ones
 * too), `import "..."`, `import("...")` (also with a template literal), `require("...")` and a
 * module URL (`new URL("./x.js", import.meta.url)`, as worker threads are started). A dynamic
 * import of a computed specifier cannot be checked: it is returned as COMPUTED, and refused.
 */
export function specifiersOf(text: string): string[] {
  // Comments that start a line are prose (TSDoc examples, "days from `now`"), not imports.
  const source = text.replace(/^\s*\/\*[\s\S]*?\*\//gm, "").replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  const literal = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'`])([^"'`$]+)\1/g;
  for (const match of source.matchAll(literal)) found.push(match[2]!);
  for (const match of source.matchAll(/\bnew\s+URL\s*\(\s*(["'`])([^"'`$]+\.[cm]?[jt]s)\1\s*,\s*import\.meta\.url/g))
    found.push(match[2]!);
  for (const _ of source.matchAll(/\b(?:import|require)\s*\(\s*(?!["'`][^"'`$]+["'`]\s*[,)])[^)\s]/g))
    found.push(COMPUTED);
  return found;
}

/** What `specifiersOf` returns for a dynamic import whose specifier is computed. */
const COMPUTED = "(computed specifier)";

/**
 * A specifier that reaches into this repository without a relative path: a subpath import
 * (`#...`), an absolute path or file URL, a path rooted at the repository (`src/...`), or the
 * package's own name.
 */
function isNonRelativeIntoRepository(specifier: string): boolean {
  return /^(#|\/|file:|src\/|license-sync(\/|$))/.test(specifier);
}

/** The step a file of src/ belongs to: its first folder, or ENTRY for src/*.ts. */
function folderOf(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? parts[1]! : ENTRY;
}

function rank(folder: string): number {
  return folder === ENTRY ? LAYERS.length : (LAYERS as readonly string[]).indexOf(folder);
}

/**
 * What breaks the rule in `files` (path relative to the repository, like `src/jobs/queue/names.ts`,
 * to its text): one line per offending import.
 */
export function violations(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [file, source] of files) {
    const from = folderOf(file);
    if (rank(from) < 0) found.push(`${file}: folder src/${from}/ is not in LAYERS; place it in the order`);
    for (const specifier of specifiersOf(source)) {
      if (specifier === COMPUTED) {
        found.push(`${file}: imports a computed specifier; import a string literal so the direction can be read`);
        continue;
      }
      if (isNonRelativeIntoRepository(specifier)) {
        found.push(`${file}: imports ${specifier}; import the project's own modules by a relative path`);
        continue;
      }
      if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue; // a package
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      if (!target.startsWith("src/")) {
        found.push(`${file}: imports ${specifier}, outside src/`);
        continue;
      }
      const to = folderOf(target);
      if (to === from) {
        // A folder's own files import each other directly: through the index they would form a cycle.
        if (target === `src/${to}/index.js`) found.push(`${file}: imports its own folder's index.ts`);
        continue;
      }
      if (to === ENTRY) found.push(`${file}: imports the entry point ${specifier}`);
      else if (rank(to) < 0) found.push(`${file}: imports ${specifier}, but src/${to}/ is not in LAYERS`);
      else if (rank(to) >= rank(from))
        found.push(`${file}: imports ${specifier}, but src/${to}/ is not below src/${from}/ in the data flow`);
      else if (!/^src\/[^/]+\/([^/]+\/)?index\.js$/.test(target))
        found.push(`${file}: imports ${specifier}; enter src/${to}/ through its index.ts (or a room's)`);
    }
  }
  return found;
}

/**
 * What makes the engine impure in `files`: a module of src/reconcile/ that loads anything but
 * its own folder's files and src/shared/ (no package, no node: module, no other step). The
 * docs promise the number is computed with no I/O, no Octokit and no Redis.
 */
export function impureEngineImports(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [file, source] of files) {
    if (folderOf(file) !== "reconcile") continue;
    for (const specifier of specifiersOf(source)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const relative = specifier.startsWith("./") || specifier.startsWith("../");
      if (!relative || !["reconcile", "shared"].includes(folderOf(target)))
        found.push(`${file}: loads ${specifier}; the engine sees only src/shared/`);
    }
  }
  return found;
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(path.join(ROOT, "src"), { recursive: true, encoding: "utf8" })) {
    // Every module, whatever its extension: a .js or .mts file would otherwise go unread.
    if (!/\.[cm]?[jt]sx?$/.test(entry)) continue;
    const file = `src/${entry.split(path.sep).join("/")}`;
    files.set(file, readFileSync(path.join(ROOT, file), "utf8"));
  }
  return files;
}

describe("imports of src/", () => {
  const files = sourceFiles();

  it("reads every module and its imports", () => {
    expect(files.size).toBeGreaterThan(100);
    expect([...files.values()].flatMap(specifiersOf).length).toBeGreaterThan(500);
  });

  it("has an index.ts as the public face of every folder", () => {
    const folders = new Set([...files.keys()].map(folderOf).filter((folder) => folder !== ENTRY));
    const missing = [...folders].filter((folder) => !files.has(`src/${folder}/index.ts`));
    expect(missing).toEqual([]);
    expect([...folders].sort()).toEqual([...LAYERS].sort());
  });

  it("go with the data flow, through each folder's index.ts", () => {
    expect(violations(files)).toEqual([]);
  });

  it("leave the engine (src/reconcile/) pure: it loads only its own files and src/shared/", () => {
    expect([...files.keys()].filter((file) => file.startsWith("src/reconcile/")).length).toBeGreaterThan(5);
    expect(impureEngineImports(files)).toEqual([]);
  });
});

describe("the rule itself", () => {
  const file = (text: string) => new Map([["src/collect/ghes/report.ts", text]]);

  it("refuses an import against the flow", () => {
    expect(violations(file('import { publishRun } from "../../publish/index.js";'))).toEqual([
      "src/collect/ghes/report.ts: imports ../../publish/index.js, but src/publish/ is not below src/collect/ in the data flow",
    ]);
  });

  it("refuses an import past a folder's index.ts, also a type-only or dynamic one", () => {
    expect(violations(file('import type { Log } from "../../shared/log.js";'))).toHaveLength(1);
    expect(violations(file('const m = await import("../../github/client.js");'))).toHaveLength(1);
  });

  it("refuses what loads a module against the flow however it is written", () => {
    const against = [
      'export { publishRun } from "../../publish/index.js";',
      'export * from "../../publish/index.js";',
      'export type { RunTrigger } from "../../publish/index.js";',
      'import type {\n  RunTrigger,\n} from "../../publish/index.js";',
      'import "../../publish/index.js";',
      "const m = await import('../../publish/index.js');",
      "const m = await import(`../../publish/index.js`);",
      'const m = await import(\n  "../../publish/index.js"\n);',
      'const m = require("../../publish/index.js");',
      'new Worker(new URL("../../publish/index.js", import.meta.url));',
    ];
    for (const text of against)
      expect(violations(file(text))).toEqual([
        "src/collect/ghes/report.ts: imports ../../publish/index.js, but src/publish/ is not below src/collect/ in the data flow",
      ]);
  });

  it("reads no import out of a comment", () => {
    const text =
      '/**\n * @example const m = await import("../../publish/index.js");\n */\n// from "../../publish/index.js"\n';
    expect(specifiersOf(text)).toEqual([]);
  });

  it("refuses what it cannot read: a computed dynamic import, a non-relative path into the repository", () => {
    expect(violations(file("const m = await import(name);"))).toHaveLength(1);
    expect(violations(file("const m = await import(`../../${step}/index.js`);"))).toHaveLength(1);
    for (const specifier of [
      "#publish/index.js",
      "/work/main/src/publish/index.js",
      "src/publish/index.js",
      "license-sync/dist/publish/index.js",
    ])
      expect(violations(file(`import { x } from "${specifier}";`))).toEqual([
        `src/collect/ghes/report.ts: imports ${specifier}; import the project's own modules by a relative path`,
      ]);
  });

  it("refuses an import of a folder that is not in LAYERS", () => {
    expect(violations(file('import { old } from "../../attic/index.js";'))).toEqual([
      "src/collect/ghes/report.ts: imports ../../attic/index.js, but src/attic/ is not in LAYERS",
    ]);
  });

  it("accepts packages, data files read by URL and module URLs within a folder", () => {
    const text = [
      'import { Worker } from "node:worker_threads";',
      'import { z } from "zod";',
      'import type { Octokit } from "@octokit/core";',
      'const worker = new Worker(new URL("./report-worker.js", import.meta.url));',
    ].join("\n");
    expect(violations(file(text))).toEqual([]);
  });

  it("accepts imports within a folder and down through an index.ts", () => {
    const text = 'import { a } from "../readers/ghes-csv.js";\nimport type { Log } from "../../shared/index.js";';
    expect(violations(file(text))).toEqual([]);
  });

  it("finds what would make the engine impure: a package, a node: module, a step other than shared/", () => {
    const engine = (text: string) => new Map([["src/reconcile/seats.ts", text]]);
    expect(
      impureEngineImports(engine('import { a } from "./input.js";\nimport { b } from "../shared/index.js";')),
    ).toEqual([]);
    for (const specifier of ["node:fs", "ioredis", "../privacy/index.js", "../github/index.js"])
      expect(impureEngineImports(engine(`import { x } from "${specifier}";`))).toEqual([
        `src/reconcile/seats.ts: loads ${specifier}; the engine sees only src/shared/`,
      ]);
  });

  it("refuses a file importing its own folder's index.ts", () => {
    expect(violations(file('import { collectGhes } from "../index.js";'))).toEqual([
      "src/collect/ghes/report.ts: imports its own folder's index.ts",
    ]);
  });

  it("refuses importing an entry point and unplaced folders", () => {
    expect(violations(file('import "../../web.js";'))).toEqual([
      "src/collect/ghes/report.ts: imports the entry point ../../web.js",
    ]);
    expect(violations(new Map([["src/attic/old.ts", ""]]))).toEqual([
      "src/attic/old.ts: folder src/attic/ is not in LAYERS; place it in the order",
    ]);
  });
});

describe("the layout tables", () => {
  const folders = readdirSync(path.join(ROOT, "src"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    // A folder git no longer tracks may linger empty in a checkout: only folders with sources count.
    .filter((entry) => readdirSync(path.join(ROOT, "src", entry.name), { recursive: true }).length > 0)
    .map((entry) => `src/${entry.name}/`);

  it.each(["README.md", "docs/architecture.md"])("%s lists every folder of src/ with a line of its own", (page) => {
    const rows = readFileSync(path.join(ROOT, page), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("| `src/"));
    expect(folders.length).toBe(LAYERS.length);
    for (const folder of folders) expect(rows.filter((row) => row.startsWith(`| \`${folder}\``))).toHaveLength(1);
  });
});
