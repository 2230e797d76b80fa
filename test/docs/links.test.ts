/**
 * Every link in the README and the docs resolves inside the repository: the file exists, and an
 * `#anchor` names a heading of it (GitHub's slugs). Users read these pages on GitHub or in a
 * clone; a link to a file outside the repository is a link to nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../support/cli.js";

/** Markdown files users read: the README, docs/, and the READMEs of fixtures and deploy files. */
function pages(): string[] {
  const found = ["README.md"];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = path.join(dir, name);
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith(".md") && (dir.startsWith("docs") || name === "README.md")) found.push(rel);
    }
  };
  for (const dir of ["docs", "fixtures", "deploy"]) if (existsSync(path.join(ROOT, dir))) walk(dir);
  return found;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .toLowerCase()
      .replace(/`/g, "")
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Link targets outside code spans and fenced blocks: `[text](target)` and `[text]: target`. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, "").replace(/`[^`\n]*`/g, "");
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const reference = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...reference];
}

const all = pages().flatMap((page) =>
  linksOf(readFileSync(path.join(ROOT, page), "utf8")).map((target) => ({ page, target })),
);

test("the pages have links to check", () => {
  expect(pages()).toEqual(expect.arrayContaining(["README.md", "docs/matching-rule.md", "docs/architecture.md"]));
  expect(all.length).toBeGreaterThan(20);
});

test.each(all.filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target)).map(({ page, target }) => [page, target]))(
  "%s -> %s resolves inside the repository",
  (page, target) => {
    const [file, anchor] = target.split("#") as [string, string | undefined];
    const resolved = file === "" ? path.join(ROOT, page) : path.resolve(ROOT, path.dirname(page), decodeURI(file));
    expect(path.relative(ROOT, resolved).startsWith("..")).toBe(false);
    expect(existsSync(resolved)).toBe(true);
    if (anchor && resolved.endsWith(".md")) expect(anchorsOf(readFileSync(resolved, "utf8"))).toContain(anchor);
  },
);

test("the checker itself catches a dangling link, an escaping link and a missing anchor", () => {
  expect(linksOf("see [rule](../shared/DOMAIN.md) and [x](a.md#b)\n```\n[not](a link)\n```\n`[nor](this)`")).toEqual([
    "../shared/DOMAIN.md",
    "a.md#b",
  ]);
  expect(anchorsOf("# Docker Compose\n## TLS\n## TLS\n```\n# not a heading\n```")).toEqual(
    new Set(["docker-compose", "tls", "tls-1"]),
  );
  expect(path.relative(ROOT, path.resolve(ROOT, "README.md/..", "../shared/DOMAIN.md")).startsWith("..")).toBe(true);
});

test("no page points readers at files outside the repository by name", () => {
  for (const page of pages())
    expect([
      page,
      readFileSync(path.join(ROOT, page), "utf8").match(/\.\.\/shared|DOMAIN\.md|ARCHITECTURE\.md/g),
    ]).toEqual([page, null]);
});
