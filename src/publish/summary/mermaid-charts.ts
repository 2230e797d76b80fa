import type { SeatSources } from "../render/seat-sources.js";

/** One ISO week of the trend: the newest run of that week. */
export interface TrendPoint {
  /** `2026-W48`. */
  week: string;
  uniqueUsers: number;
  consumed: number;
  purchased: number | null;
}

/** Line colours, fixed so the legend can name them (GitHub's default palette is not documented). */
const SERIES = [
  { name: "unique users (this app)", colour: "#1f6feb", square: "🟦" },
  { name: "consumed, per GitHub", colour: "#d1242f", square: "🟥" },
  { name: "purchased", colour: "#1a7f37", square: "🟩" },
] as const;

/** A Mermaid string literal: double quotes cannot be escaped inside one, so they become single. */
export function mermaidText(value: string): string {
  return `"${value.replace(/"/g, "'").replace(/[\r\n]+/g, " ")}"`;
}

const fence = (body: string[]): string => ["```mermaid", ...body, "```"].join("\n");

/**
 * The seat trend as a Mermaid `xychart-beta` with one line per series (unique users, GitHub's
 * consumed seats, purchased seats), weeks on the x axis. Null with fewer than two weeks: a
 * single point draws no line. Purchased seats are left out unless every week knows them.
 * Only the subset GitHub's Mermaid renders is used: an init directive for the palette, a title,
 * a quoted category axis, a titled value axis, `line` series of integers.
 *
 * @example trendChart([{ week: "2026-W47", uniqueUsers: 10, consumed: 12, purchased: 20 }, { week: "2026-W48", ... }])
 */
export function trendChart(points: TrendPoint[]): string | null {
  if (points.length < 2) return null;
  const series: Array<{ values: number[]; index: number }> = [
    { values: points.map((p) => p.uniqueUsers), index: 0 },
    { values: points.map((p) => p.consumed), index: 1 },
  ];
  if (points.every((p) => p.purchased !== null)) series.push({ values: points.map((p) => p.purchased ?? 0), index: 2 });
  const palette = series.map((s) => SERIES[s.index]!.colour).join(", ");
  const chart = fence([
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    "xychart-beta",
    `    title ${mermaidText(`Seats, last ${points.length} weeks`)}`,
    `    x-axis [${points.map((p) => mermaidText(p.week)).join(", ")}]`,
    `    y-axis ${mermaidText("Seats")}`,
    ...series.map((s) => `    line [${s.values.map((v) => String(Math.round(v))).join(", ")}]`),
  ]);
  const legend = series.map((s) => `${SERIES[s.index]!.square} ${SERIES[s.index]!.name}`).join(" · ");
  return `${chart}\n\n${legend}`;
}

/**
 * Where the seats come from, as a Mermaid `pie` (slices with zero seats are left out, as a
 * zero slice draws nothing). Null when there are no seats at all.
 *
 * @example seatSourcePie({ cloudOnly: 800, serverOnly: 50, both: 300 })
 */
export function seatSourcePie(sources: SeatSources): string | null {
  const slices: Array<[string, number]> = [
    ["Cloud only", sources.cloudOnly],
    ["Server only", sources.serverOnly],
    ["Cloud and server", sources.both],
  ];
  const shown = slices.filter(([, n]) => n > 0);
  if (shown.length === 0) return null;
  const total = shown.reduce((sum, [, n]) => sum + n, 0);
  return fence([
    "pie showData",
    `    title Where the ${total} seats come from`,
    ...shown.map(([label, n]) => `    ${mermaidText(label)} : ${n}`),
  ]);
}
