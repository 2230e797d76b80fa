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
