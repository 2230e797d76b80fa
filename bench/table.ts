/**
 * The one table `npm run bench` prints and docs/benchmarks.md shows: for each measure, the crude
 * floor, the page-by-page (or otherwise naive) peer approach and this project, side by side, all
 * measured in the same run, with the goal and whether it is met.
 *
 * @example
 *   renderBenchTable([{ measure: "report, 330k accounts", floor: "4.8 s", project: "9.1 s", ratio: "1.9x floor", goal: "<= 2x floor", met: true }]);
 */
export interface BenchRow {
  /** What is measured, with its size ("report: 330,151 accounts + 280,338 rows"). */
  measure: string;
  /** The crude floor (split + JSON.parse, no validation), when the measure has one. */
  floor?: string;
  /** The peer approach (page-by-page client, one thread), when the measure has one. */
  peer?: string;
  /** This project. */
  project: string;
  /** The ratio the goal is stated in ("1.9x floor", "6.4x faster than peer"). */
  ratio?: string;
  /** The goal, as the issue states it ("<= 2x floor"). */
  goal: string;
  /** Whether the goal is met in this run; undefined when the measure has no pass/fail goal. */
  met?: boolean;
}

const cell = (text: string | undefined): string => (text ?? "").replaceAll("|", "\\|");

/** Markdown table of the rows, in the order given. */
export function renderBenchTable(rows: readonly BenchRow[]): string {
  const lines = [
    "| measure | floor | peer | license-sync | ratio | goal | met |",
    "|---|---:|---:|---:|---:|---|:---:|",
  ];
  for (const row of rows) {
    const met = row.met === undefined ? "" : row.met ? "yes" : "**no**";
    lines.push(
      `| ${cell(row.measure)} | ${cell(row.floor)} | ${cell(row.peer)} | ${cell(row.project)} | ${cell(row.ratio)} | ${cell(row.goal)} | ${met} |`,
    );
  }
  return lines.join("\n");
}
