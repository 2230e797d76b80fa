/** Markdown building blocks shared by every issue body. */

/** Escapes characters that would break a table cell or start markup. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "–";
  return String(value).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;")).replace(/\r?\n/g, " ");
}

/** A GitHub-flavoured Markdown table. */
export function mdTable(header: string[], rows: Array<Array<string | number | null>>, align?: Array<"l" | "r">): string {
  const rule = header.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return [header, rule, ...rows.map((row) => row.map(cell))].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

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
