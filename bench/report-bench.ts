import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDataset, writeDatasetFiles, type DatasetOptions } from "../test/sim/dataset.js";
import type { DatasetFiles } from "../test/sim/write-files.js";
import { measureNode, median, type Measurement } from "./measure.js";
import { rowBenchInChild, type RowBenchResult } from "./row-bench.js";
import { renderBenchTable, type BenchRow } from "./table.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = path.join(ROOT, "bench", "out");

/** Issue 12's larger size (and issue #2's): 1,019,923 GHES accounts over 5 instances, 300,000 cloud rows, 50,298 identities. */
export const REPORT_DATASET: DatasetOptions = {
  seed: 2026,
  persons: 500_000,
  hosts: [
    "ghes-1.corp.example",
    "ghes-2.corp.example",
    "ghes-3.corp.example",
    "ghes-4.corp.example",
    "ghes-5.corp.example",
  ],
  seatsPurchased: 320_000,
  // Server-heavy: most people have accounts on two or three instances, as in a large GHES estate.
  mix: {
    cloudOnly: 0.19,
    staleOtherHost: 0.01,
    matchedSamlIdentity: 0.06,
    matchedSamlNameId: 0.06,
    matchedVerifiedDomainEmail: 0.12,
    matchedLinkedServerEmail: 0.08,
    matchedVisualStudio: 0.02,
    serverOnlyFresh: 0.03,
    doubleCounted: 0.03,
    serverOnlyUnsynced: 0.4,
  },
  noise: { multiHost: 1, identityCoverage: 0.14, unlinkedIdentity: 0.025 },
};

/** Writes the dataset once per option set; later runs reuse the files. */
export async function datasetFiles(
  options: DatasetOptions,
): Promise<{ files: DatasetFiles; expected: ReturnType<typeof createDataset>["expected"] }> {
  // Keyed by the options and the generator's sources, so a changed generator writes new files.
  const generator = readdirSync(path.join(ROOT, "test", "sim"))
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => readFileSync(path.join(ROOT, "test", "sim", f)));
  const key = createHash("sha256")
    .update(JSON.stringify(options))
    .update(Buffer.concat(generator))
    .digest("hex")
    .slice(0, 12);
  const dir = path.join(OUT, `dataset-${options.persons}-${key}`);
  const manifest = path.join(dir, "manifest.json");
  const dataset = createDataset(options);
  if (!existsSync(manifest)) {
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    const files = await writeDatasetFiles(dataset, dir);
    writeFileSync(manifest, JSON.stringify(files));
    console.log(`generated dataset in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${dir}`);
  }
  return { files: JSON.parse(readFileSync(manifest, "utf8")) as DatasetFiles, expected: dataset.expected };
}

/**
 * Issue 12's size: 330,152 GHES accounts over 2 instances (the issue's 330,151 give or take the
 * generator's granularity), 280,338 consumed-licenses rows, 93,593 identities.
 */
export const ISSUE_DATASET: DatasetOptions = {
  seed: 2026,
  persons: 318_566,
  hosts: ["ghes-1.corp.example", "ghes-2.corp.example"],
  noise: { multiHost: 0.46626 },
};

/** Issue 12's large enterprise: 988,179 GHES accounts over 2 instances, 840,000 rows, 282,968 identities. */
export const LARGE_DATASET: DatasetOptions = {
  seed: 2026,
  persons: 954_545,
  hosts: ["ghes-1.corp.example", "ghes-2.corp.example"],
  noise: { multiHost: 0.4635 },
};

const HEAP_GOAL_MIB = 1024;
const RATIO_GOAL = 2;
const ROW_GOAL_US = 5;

/** One size of `report` against its floor, alternating runs so load on the machine hits both. */
export interface ReportSize {
  label: string;
  accounts: number;
  instances: number;
  cloudRows: number;
  identities: number;
  floor: Measurement[];
  report: Measurement[];
  /** The report's totals equal the generator's. */
  correct: boolean;
  /** Runs that needed a second attempt with a larger heap ("running again" on standard error). */
  retried: number;
}

export interface ReportBenchResult {
  sizes: ReportSize[];
  row: RowBenchResult;
  /** Load average of the machine (1 minute) at the start and the end of the section. */
  load: [number, number];
}

async function measureSize(label: string, options: DatasetOptions, runs: number): Promise<ReportSize> {
  const { files, expected } = await datasetFiles(options);
  const servers = Object.entries(files.servers).map(([host, file]) => `${host}=${file}`);
  const out = path.join(OUT, "report.json");
  const floor: Measurement[] = [];
  const report: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(
      await measureNode([path.join(ROOT, "build/bench/parse-floor.js"), files.cloud, files.identities, ...servers]),
    );
    report.push(
      await measureNode([
        path.join(ROOT, "bin/license-sync.js"),
        "report",
        "--format",
        "json",
        "--out",
        out,
        "--cloud",
        files.cloud,
        "--identities",
        files.identities,
        ...servers.flatMap((s) => ["--server", s]),
      ]),
    );
    for (const m of [floor.at(-1)!, report.at(-1)!])
      if (m.exitCode !== 0) throw new Error(`benchmark child failed: ${m.stderr}`);
  }
  const totals = (JSON.parse(readFileSync(out, "utf8")) as { totals: Record<string, unknown> }).totals;
  const correct =
    totals.uniqueUsers === expected.uniqueUsers &&
    totals.serverOnlyUsers === expected.serverOnlyUsers &&
    totals.cloudUsers === expected.cloudUsers;
  if (!correct) console.error("report totals differ from the generator's expected totals", { totals, expected });
  return {
    label,
    accounts: Object.values(expected.perHost).reduce((sum, h) => sum + h.accounts, 0),
    instances: options.hosts.length,
    cloudRows: expected.totalSeatsConsumed,
    identities: countIdentities(files.identities),
    floor,
    report,
    correct,
    retried: report.filter((m) => m.stderr.includes("running again")).length,
  };
}

/**
 * Issue 12, goals 1 and 2: `report --format json` against the crude floor (parse-floor.ts) at the
 * issue's three sizes, and the per-row cost of validating and keying a consumed-licenses row
 * against `JSON.parse` of the same row. Also checks the report's totals against the generator's.
 * `BENCH_REPORT_SIZES` (comma-separated `issue,1m,large`) picks sizes; `BENCH_REPORT_PERSONS`
 * shrinks the issue size for a quick look while developing.
 */
export async function reportBench(runs: number, env = process.env): Promise<ReportBenchResult> {
  const load: [number, number] = [loadavg()[0]!, 0];
  const chosen = new Set((env.BENCH_REPORT_SIZES ?? "issue,1m,large").split(","));
  const issue = env.BENCH_REPORT_PERSONS
    ? { ...ISSUE_DATASET, persons: Number(env.BENCH_REPORT_PERSONS) }
    : ISSUE_DATASET;
  const sizes: ReportSize[] = [];
  if (chosen.has("issue")) sizes.push(await measureSize("issue size", issue, runs));
  if (chosen.has("1m")) sizes.push(await measureSize("1M accounts", REPORT_DATASET, runs));
  // The large size answers "within 1 GiB on the first attempt": one run says it.
  if (chosen.has("large")) sizes.push(await measureSize("large enterprise", LARGE_DATASET, 1));
  const { files } = await datasetFiles(issue);
  const row = await rowBenchInChild(files.cloud, 100_000);
  load[1] = loadavg()[0]!;
  return { sizes, row, load };
}

function countIdentities(file: string): number {
  let count = 0;
  const text = readFileSync(file, "latin1");
  for (let i = text.indexOf("\n{"); i !== -1; i = text.indexOf("\n{", i + 1)) count++;
  return count;
}

const count = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The section's rows of the one benchmark table (bench/table.ts). */
export function reportBenchRows(r: ReportBenchResult): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const size of r.sizes) {
    const what = `report ${size.label}: ${count(size.accounts)} accounts (${size.instances} instances) + ${count(size.cloudRows)} rows + ${count(size.identities)} identities`;
    const floor = median(size.floor.map((m) => m.wallMs));
    const project = median(size.report.map((m) => m.wallMs));
    const ratio = project / floor;
    const rss = Math.max(...size.report.map((m) => m.peakRssMiB));
    rows.push({
      measure: `${what}, wall time (median of ${size.report.length})`,
      floor: seconds(floor),
      project: seconds(project),
      ratio: `${ratio.toFixed(2)}x floor`,
      goal: `<= ${RATIO_GOAL}x floor`,
      met: ratio <= RATIO_GOAL && size.correct,
    });
    rows.push({
      measure: `${what}, peak RSS${size.label === "large enterprise" ? ", first attempt" : ""}`,
      floor: `${Math.max(...size.floor.map((m) => m.peakRssMiB)).toFixed(0)} MiB`,
      project: `${rss.toFixed(0)} MiB${size.retried > 0 ? ` (after ${size.retried} retry with 4x heap)` : ""}`,
      goal: `<= ${HEAP_GOAL_MIB} MiB, no retry`,
      met: rss <= HEAP_GOAL_MIB && size.retried === 0,
    });
  }
  rows.push({
    measure: `validating and keying one consumed-licenses row (${count(r.row.rows)} rows, median of 5 passes)`,
    floor: `${r.row.floorUs.toFixed(2)} µs (JSON.parse)`,
    project: `${r.row.projectUs.toFixed(2)} µs`,
    ratio: `${(r.row.projectUs / r.row.floorUs).toFixed(1)}x floor`,
    goal: `<= ${ROW_GOAL_US} µs per row`,
    met: r.row.projectUs <= ROW_GOAL_US,
  });
  return rows;
}

/** Markdown for docs/benchmarks.md: the rows as a table, what the floor is, and the load. */
export function formatReportBench(r: ReportBenchResult): string {
  const wrong = r.sizes.filter((size) => !size.correct).map((size) => size.label);
  return [
    renderBenchTable(reportBenchRows(r)),
    "",
    "Floor: the same files read and split (`split` on lines and commas for the CSVs, `JSON.parse` of each row or node line for the JSON), nothing validated, keyed or kept (bench/parse-floor.ts). Floor and report run as separate processes, alternating.",
    `Totals equal the generator's expected totals: ${wrong.length === 0 ? "yes, at every size" : `NO (${wrong.join(", ")})`}. Load average (1 min) ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end, on 2 cores.`,
  ].join("\n");
}
