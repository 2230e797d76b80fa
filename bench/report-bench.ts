import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDataset, writeDatasetFiles, type DatasetOptions } from "../test/sim/dataset.js";
import type { DatasetFiles } from "../test/sim/write-files.js";
import { measureNode, median, type Measurement } from "./measure.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = path.join(ROOT, "bench", "out");

/** Issue #2's size: 1,000,000 GHES accounts over 5 instances, 300,000 cloud rows, 50,000 identities. */
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

export interface ReportBenchResult {
  accounts: number;
  cloudRows: number;
  identities: number;
  floor: Measurement[];
  report: Measurement[];
  correct: boolean;
}

/**
 * `report --format json` against the parse-only floor, alternating runs so machine noise hits both.
 * Also checks the report's totals against what the generator says the rule must give.
 */
export async function reportBench(runs: number): Promise<ReportBenchResult> {
  const { files, expected } = await datasetFiles(REPORT_DATASET);
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
  const accounts = Object.values(expected.perHost).reduce((sum, h) => sum + h.accounts, 0);
  return {
    accounts,
    cloudRows: expected.totalSeatsConsumed,
    identities: countIdentities(files.identities),
    floor,
    report,
    correct,
  };
}

function countIdentities(file: string): number {
  return (JSON.parse(readFileSync(file, "utf8")) as unknown[]).length;
}

/** Markdown lines for docs/benchmarks.md. */
export function formatReportBench(r: ReportBenchResult): string {
  const rows = r.accounts + r.cloudRows + r.identities;
  const line = (name: string, ms: Measurement[]) => {
    const wall = median(ms.map((m) => m.wallMs));
    const rss = Math.max(...ms.map((m) => m.peakRssMiB));
    return `| ${name} | ${(wall / 1000).toFixed(2)} s | ${Math.round(rows / (wall / 1000)).toLocaleString("en-US")} | ${rss.toFixed(0)} MiB |`;
  };
  const ratio = median(r.report.map((m) => m.wallMs)) / median(r.floor.map((m) => m.wallMs));
  const rss = Math.max(...r.report.map((m) => m.peakRssMiB));
  return [
    `Input: ${r.accounts.toLocaleString("en-US")} GHES accounts over 5 instances, ${r.cloudRows.toLocaleString("en-US")} consumed-licenses rows, ${r.identities.toLocaleString("en-US")} identities (median of ${r.report.length} runs each, alternating).`,
    "",
    "| run | wall time | rows/s | peak RSS |",
    "|---|---:|---:|---:|",
    line("parse-only floor", r.floor),
    line("report --format json", r.report),
    "",
    `report / floor = **${ratio.toFixed(2)}x** (goal <= 2x: ${ratio <= 2 ? "met" : "NOT met"}); peak RSS ${rss.toFixed(0)} MiB (goal <= 1024 MiB: ${rss <= 1024 ? "met" : "NOT met"}); totals equal the generator's expected totals: ${r.correct ? "yes" : "NO"}.`,
  ].join("\n");
}
