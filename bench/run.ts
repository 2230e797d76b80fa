// `npm run bench`: speed and memory targets live here, never in timed tests (docs/benchmarks.md).
//  1. report vs the crude parse floor (split + JSON.parse)
//  2. collection: sync with GHES reports vs page by page; GHEC alone; one big GHES report
//  3. the App end to end: a 300,000-user enterprise from `/license-sync now` to the summary issue
//  4. hostile input: five 30 MB webhook POSTs at once; a usage-file gzip bomb
// Every section reports rows of one table (floor, peer, license-sync side by side, one run); it
// is printed and written to bench/out/results.md; a full run (all sections, BENCH_SCALE=1) also
// writes it into docs/benchmarks.md, between its `npm run bench` markers.
//   BENCH_RUNS=N     repetitions of the timed runs (default 3; medians are reported)
//   BENCH_ONLY=a,b   only these sections (report, collect, app, hostile)
//   BENCH_SCALE=x    every size times x (default 1), for a quick run of the whole benchmark
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { appBench } from "./app-bench.js";
import { collectBench } from "./collect-bench.js";
import { hostileBench, hostileRows } from "./hostile-bench.js";
import { scaled, seconds } from "./measure.js";
import { ISSUE_DATASET, reportBench, reportBenchRows } from "./report-bench.js";
import { renderBenchTable, type BenchRow } from "./table.js";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
const started = performance.now();

/** A scaled run reports only the issue's size, shrunk (the report section's own knobs win when set). */
function reportEnv(): NodeJS.ProcessEnv {
  if (scale === 1) return process.env;
  return {
    BENCH_REPORT_SIZES: "issue",
    BENCH_REPORT_PERSONS: String(scaled(ISSUE_DATASET.persons, scale)),
    ...process.env,
  };
}

const sections: Array<{ name: string; rows: () => Promise<BenchRow[]> }> = [
  { name: "report", rows: async () => reportBenchRows(await reportBench(runs, reportEnv())) },
  { name: "collect", rows: () => collectBench(runs, scale) },
  { name: "app", rows: () => appBench(scale) },
  { name: "hostile", rows: async () => hostileRows(await hostileBench()) },
];

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
// The documented run (every section, full size) also replaces the table in docs/benchmarks.md.
if (!only && scale === 1) {
  const docs = "docs/benchmarks.md";
  const [begin, end] = ["<!-- npm run bench: begin -->", "<!-- npm run bench: end -->"];
  const text = readFileSync(docs, "utf8");
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${docs} has no ${begin} ... ${end} block to replace`);
  writeFileSync(docs, `${text.slice(0, from + begin.length)}\n${results}\n${text.slice(to)}`);
  console.log(`\n${docs} updated`);
}
