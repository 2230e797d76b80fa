import { type CellValue, tableRow } from "../../shared/index.js";

export type Row = CellValue[];

/** A table cut to a character budget. */
export interface FittedTable {
  /** Markdown, or "" when not even the header fits or there are no rows. */
  text: string;
  shown: number;
  /** Rows left out for want of room (or beyond `maxRows`). */
  omitted: number;
}

/**
 * A Markdown table of as many rows as fit in `budget` characters, taken lazily from `rows` so a
 * list of 300,000 persons is never rendered whole. `total` is how many rows exist in all.
 *
 * @example fitTable(["Email", "Reason"], people.map(toRow), ["l", "l"], 20_000, people.length)
 */
export function fitTable(
  header: string[],
  rows: Iterable<Row>,
  align: Array<"l" | "r">,
  budget: number,
  total: number,
  maxRows = Number.POSITIVE_INFINITY,
): FittedTable {
  const head = `| ${header.join(" | ")} |\n| ${header.map((_, i) => (align[i] === "r" ? "---:" : "---")).join(" | ")} |`;
  if (total === 0 || head.length > budget) return { text: "", shown: 0, omitted: total };
  const lines = [head];
  let used = head.length;
  let shown = 0;
  for (const row of rows) {
    if (shown >= maxRows) break;
    const line = tableRow(row);
    if (used + 1 + line.length > budget) break;
    lines.push(line);
    used += 1 + line.length;
    shown++;
  }
  return { text: shown === 0 ? "" : lines.join("\n"), shown, omitted: total - shown };
}

/** Lazily maps an array's first items, so callers can feed `fitTable` without copying. */
export function* mapRows<T>(items: readonly T[], toRow: (item: T) => Row, start = 0): Generator<Row> {
  for (let i = start; i < items.length; i++) yield toRow(items[i]!);
}
