/** Markdown building blocks shared by every issue body, comment and reply. */
import { printable } from "./printable.js";

/**
 * U+200D ZERO WIDTH JOINER: invisible, but it splits `@name`, `#1`, `GH-1` and `https://` so
 * GitHub neither pings, nor cross-references, nor autolinks what untrusted text spells.
 */
export const ZWJ = "\u200D";

/**
 * Characters that start or close Markdown (emphasis, code, links, images, tables). An underscore
 * inside a word (`LICENSE_SYNC_SECRET`) cannot: it stays as it is.
 */
const MARKUP = /[\\`*~[\]|]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Untrusted text (hostnames, logins, masked emails, GitHub's sync errors, titles) as inert
 * Markdown for one line: markup characters are backslash-escaped, HTML characters become
 * entities, line breaks become spaces, and mentions (`@everyone`, `@acme/team`), issue references
 * (`#1`, `GH-1`, `org/repo#1`) and autolinks (`https://…`, `www.…`, `a@b.example`) are split
 * with an invisible joiner. What GitHub renders reads the same, but nothing pings, links, loads
 * an image or breaks out of a table.
 *
 * @example inlineText("@everyone see [x](https://evil.example)") // "@\u200Deveryone see \\[x\\](https\u200D://evil.example)"
 */
export function inlineText(value: string): string {
  // `--format markdown` is printed on a terminal too: no escape sequence may reach it.
  return printable(
    value
      .replace(MARKUP, (c) => `\\${c}`)
      .replace(/[&<>]/g, (c) => ENTITIES[c]!)
      .replace(/[\r\n\u2028\u2029]+/g, " "),
  )
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZWJ}`)
    .replace(/#(?=[\p{L}\p{N}_-])/gu, `#${ZWJ}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWJ}`)
    .replace(/\b([a-z][a-z0-9+.-]*):(?=\/\/)/gi, `$1${ZWJ}:`)
    .replace(/\b(mailto|xmpp):/gi, `$1${ZWJ}:`)
    .replace(/\bwww\./gi, `www${ZWJ}.`);
}

/**
 * A code span as CommonMark reads it, conservatively: one backtick, text, one backtick, with no
 * backtick or backslash next to them. Anything this misses is escaped, never the other way round.
 */
const CODE_SPAN = /(?<![`\\])`[^`\n]+`(?!`)/g;

/**
 * A message that mixes the app's wording with data (an error's `problem`, GitHub's answer): its
 * code spans stay code (inert already), everything else goes through `inlineText`.
 *
 * @example inlineProse("field `server.hostname` is @everyone") // "field `server.hostname` is @\u200Deveryone"
 */
export function inlineProse(value: string): string {
  let result = "";
  let last = 0;
  for (const span of value.matchAll(CODE_SPAN)) {
    result += inlineText(value.slice(last, span.index)) + span[0];
    last = span.index + span[0].length;
  }
  return result + inlineText(value.slice(last));
}

/** A table cell (or a short inline value): `inlineText`, and `–` for nothing. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "–";
  return typeof value === "number" ? String(value) : inlineText(value);
}

/**
 * An inline code span: nothing inside renders, pings or links. Backticks become `'` (a span
 * cannot hold its own fence) and line breaks spaces.
 *
 * @example code("ghes-a.corp.example") // "`ghes-a.corp.example`"
 */
export function code(value: string): string {
  return `\`${value.replace(/`/g, "'").replace(/[\r\n\u2028\u2029]+/g, " ")}\``;
}

/** Markdown the app wrote itself (bold figures, links to its own issues): table cells keep it as it is. */
export interface TrustedMarkdown {
  markdown: string;
}

/** Marks markup written by the app, not taken from data, for `mdTable`. */
export const trusted = (markdown: string): TrustedMarkdown => ({ markdown });

/** A table cell value: data (escaped by `cell`) or the app's own markup. */
export type CellValue = string | number | null | TrustedMarkdown;

const renderCell = (value: CellValue | undefined): string =>
  value !== null && typeof value === "object" ? value.markdown : cell(value);

/** A GitHub-flavoured Markdown table; every data cell goes through `cell`. */
export function mdTable(header: string[], rows: CellValue[][], align?: Array<"l" | "r">): string {
  const rule = header.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return [header.join(" | "), rule.join(" | "), ...rows.map((row) => row.map(renderCell).join(" | "))]
    .map((row) => `| ${row} |`)
    .join("\n");
}

/** A table row of `fitTable`: the same cells as `mdTable`. */
export const tableRow = (row: CellValue[]): string => `| ${row.map(renderCell).join(" | ")} |`;

/** Folds long content so the issue stays readable. */
export function details(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Longest untrusted text a code span shows, in characters. */
export const CODE_SPAN_CHARS = 80;

/**
 * Untrusted text (a pushed path, a key someone typed) as one inert code span: line breaks and
 * other control characters become spaces, at most `max` characters are kept, and the fence is
 * one backtick longer than any run inside, so nothing can close it early. Inside a code span
 * mentions, issue references, links, images and HTML are plain text.
 *
 * @example codeSpan("a`b") // "``a`b``"
 */
export function codeSpan(text: string, max = CODE_SPAN_CHARS): string {
  const chars = [...text.replace(/\p{Cc}|[\u2028\u2029]/gu, " ")];
  const kept = chars.length > max ? `${chars.slice(0, max).join("")}…` : chars.join("");
  const fence = "`".repeat(Math.max(0, ...(kept.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  // A space on each side when the text starts or ends with a backtick (or is blank), which CommonMark strips again.
  const pad = /^`|`$|^ *$/.test(kept) ? " " : "";
  return `${fence}${pad}${kept}${pad}${fence}`;
}
