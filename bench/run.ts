// `npm run bench`: speed and memory targets live here, never in timed tests (docs/benchmarks.md).
//  1. report vs the crude parse floor (split + JSON.parse)
//  2. collection: sync with GHES reports vs page by page; GHEC alone; one big GHES report
//  3. hostile input: five 30 MB webhook POSTs at once; a usage-file gzip bomb
// Every section reports rows of one table (floor, peer, license-sync side by side, one run); it
// is printed and written to bench/out/results.md, which docs/benchmarks.md shows.
//   BENCH_RUNS=N     repetitions of the timed runs (default 3; medians are reported)
//   BENCH_ONLY=a,b   only these sections (report, collect, hostile)
//   BENCH_SCALE=x    every size times x (default 1), for a quick run of the whole benchmark
import { mkdirSync, writeFileSync } from "node:fs";
import { collectBench } from "./collect-bench.js";
import { hostileBench, hostileRows } from "./hostile-bench.js";
import { median, seconds } from "./measure.js";
import { reportBench, type ReportBenchResult } from "./report-bench.js";
import { renderBenchTable, type BenchRow } from "./table.js";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
const started = performance.now();

const sections: Array<{ name: string; rows: () => Promise<BenchRow[]> }> = [
  { name: "report", rows: async () => reportRows(await reportBench(runs)) },
  { name: "collect", rows: () => collectBench(runs, scale) },
  { name: "hostile", rows: async () => hostileRows(await hostileBench()) },
];

/** The report section as rows, until report-bench.ts reports its own (issue 12, goal 1). */
function reportRows(r: ReportBenchResult): BenchRow[] {
  const floor = median(r.floor.map((m) => m.wallMs));
  const report = median(r.report.map((m) => m.wallMs));
  const rss = Math.max(...r.report.map((m) => m.peakRssMiB));
  return [
    {
      measure: `report: ${r.accounts.toLocaleString("en-US")} GHES accounts + ${r.cloudRows.toLocaleString("en-US")} cloud rows + ${r.identities.toLocaleString("en-US")} identities${r.correct ? "" : " (TOTALS WRONG)"}`,
      floor: seconds(floor),
      project: `${seconds(report)}, ${rss.toFixed(0)} MiB`,
      ratio: `${(report / floor).toFixed(2)}x floor`,
      goal: "<= 2x floor, peak RSS <= 1 GiB",
      met: r.correct && report / floor <= 2 && rss <= 1024,
    },
  ];
}

const rows: BenchRow[] = [];
for (const section of sections) {
  if (only && !only.includes(section.name)) continue;
  const sectionStarted = performance.now();
  console.log(`${section.name}...`);
  const sectionRows = await section.rows();
  console.log(`${renderBenchTable(sectionRows)}\n(${section.name}: ${seconds(performance.now() - sectionStarted)})\n`);
  rows.push(...sectionRows);
}

const scaleNote = scale === 1 ? "" : `, BENCH_SCALE=${scale} (sizes scaled: not the documented run)`;
const results = [
  `Measured ${new Date().toISOString()} on Node ${process.version}, ${process.platform}, \`npm run bench\` (BENCH_RUNS=${runs}${scaleNote}), ${seconds(performance.now() - started)} in all.`,
  "",
  renderBenchTable(rows),
].join("\n");
console.log(results);
mkdirSync("bench/out", { recursive: true });
writeFileSync("bench/out/results.md", `${results}\n`);
