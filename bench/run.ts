// `npm run bench`: speed and memory targets live here, never in timed tests (README, Benchmarks).
//  1. report vs parse-only floor on 1M accounts / 300k cloud rows / 50k identities
//  2. collection: 300k consumed-licenses rows at 20 ms latency; a 1M-account GHES report
//  3. hostile input: five 30 MB webhook POSTs at once; a usage-file gzip bomb
// Prints markdown to paste into docs/benchmarks.md, and writes it to bench/out/results.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { collectBench, formatCollectBench } from "./collect-bench.js";
import { formatHostileBench, hostileBench } from "./hostile-bench.js";
import { formatReportBench, reportBench } from "./report-bench.js";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const only = process.env.BENCH_ONLY;
const sections: string[] = [`Measured ${new Date().toISOString()} on Node ${process.version}, \`npm run bench\`.`];

if (!only || only === "report") {
  console.log("1. report vs parse-only floor");
  const result = await reportBench(runs);
  sections.push("## 1. `report --format json` vs parse-only floor", formatReportBench(result));
  console.log(sections.at(-1));
}

if (!only || only === "collect") {
  console.log("2. collection");
  const result = await collectBench(runs);
  sections.push("## 2. Collection", formatCollectBench(result));
  console.log(sections.at(-1));
}

if (!only || only === "hostile") {
  console.log("3. hostile input");
  const result = await hostileBench();
  sections.push("## 3. Hostile input (issue 9)", formatHostileBench(result));
  console.log(sections.at(-1));
}

mkdirSync("bench/out", { recursive: true });
writeFileSync("bench/out/results.md", `${sections.join("\n\n")}\n`);
