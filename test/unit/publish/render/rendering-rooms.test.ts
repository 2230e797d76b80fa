/**
 * The rendering rooms (src/publish/render, src/publish/summary's index) are what the command
 * line's `report` loads to write a report: they reach the divergence sentences, never the
 * divergence issue lifecycle behind src/publish/divergences/index.ts, which writes issues through
 * the GitHub client and so loads Octokit. Read from the modules' runtime imports (`import type`
 * and `export type` are erased by the compiler and do not count).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../../support/cli.js";

/** Specifiers a module loads at run time: static imports and re-exports that are not type-only, and import(). */
function runtimeSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/\b(?:import|export)\s+(?!type\b)[^;"']*?\bfrom\s*["']([^"']+)["']/g))
    found.push(match[1]!);
  for (const match of source.matchAll(/\bimport\s*\(?\s*["']([^"']+)["']/g)) found.push(match[1]!);
  return found;
}

/** Every file of src/ a module reaches at run time, and every package it loads. */
function reach(start: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of runtimeSpecifiers(readFileSync(path.join(ROOT, file), "utf8"))) {
      if (!specifier.startsWith(".")) packages.add(specifier);
      else pending.push(path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, ".ts"));
    }
  }
  return { files, packages };
}

test.each(["src/publish/render/index.ts", "src/publish/summary/index.ts"])(
  "%s reaches the divergence sentences but not the issue lifecycle nor Octokit",
  (room) => {
    const { files, packages } = reach(room);
    expect(files).toContain("src/publish/divergences/sentences.ts");
    expect([...files].filter((file) => file.startsWith("src/github/") || file.includes("/issues"))).toEqual([]);
    expect(files).not.toContain("src/publish/divergences/index.ts");
    expect([...packages].filter((name) => name.startsWith("@octokit/"))).toEqual([]);
  },
);

test("the walk follows re-exports and skips type-only imports", () => {
  expect(
    runtimeSpecifiers(
      'import type { A } from "./a.js";\nexport type { B } from "./b.js";\nexport { c } from "./c.js";\nimport { d, type E } from "./d.js";\nimport "./e.js";',
    ),
  ).toEqual(["./c.js", "./d.js", "./e.js"]);
});
