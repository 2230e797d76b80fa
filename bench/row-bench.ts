// Issue 12, goal 2: what validating and keying one consumed-licenses row costs, per row, against
// the floor of only `JSON.parse` of the same row text, in the same process and the same run.
// Run as a process of its own (`node row-bench.js <consumed-licenses file>`, one JSON line out):
// in the benchmark's own process, whose heap holds the other sections' datasets, every
// allocation costs more garbage collection, for the floor and the project alike but not equally.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseLicenseRow } from "../src/collect/ghec/license-page.js";
import { exactNameIds } from "../src/collect/readers/cloud-row.js";
import { createEmailProtector } from "../src/privacy/protect.js";

export interface RowBenchResult {
  rows: number;
  /** Microseconds per row: `JSON.parse` of the row text only. */
  floorUs: number;
  /** Microseconds per row: parse (as the reader does), validate, protect every email, key for deduplication. */
  projectUs: number;
}

/** The user rows of a consumed-licenses file written one row per line (the generator's form). */
export function rowTexts(file: string, limit: number): string[] {
  const rows: string[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const text = line.endsWith(",") ? line.slice(0, -1) : line;
    if (text.startsWith('{"github_com_login"')) rows.push(text);
    if (rows.length === limit) break;
  }
  return rows;
}

function perRowUs(rows: readonly string[], work: (text: string, index: number) => unknown): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i++) work(rows[i]!, i);
  return Number(process.hrtime.bigint() - started) / 1000 / rows.length;
}

/**
 * Alternates floor and project passes over the same rows (`passes` each, after one warm-up pass
 * each) and keeps the median of each, so load on a shared machine hits both alike.
 */
export function rowBench(rows: readonly string[], passes = 5): RowBenchResult {
  const protector = createEmailProtector({ secret: "bench" });
  const options = { source: "bench", protector, fix: "" };
  const floor = (text: string) => JSON.parse(text) as unknown;
  const project = (text: string, index: number) => parseLicenseRow(exactNameIds(text), () => `row ${index}`, options);
  perRowUs(rows, floor);
  perRowUs(rows, project);
  const floors: number[] = [];
  const projects: number[] = [];
  for (let i = 0; i < passes; i++) {
    floors.push(perRowUs(rows, floor));
    projects.push(perRowUs(rows, project));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { rows: rows.length, floorUs: median(floors), projectUs: median(projects) };
}

const SELF = fileURLToPath(import.meta.url);

/**
 * `rowBench` over the first `limit` rows of `file`, in a fresh Node process (this file as its
 * entry), so the figure is that of the rows alone.
 *
 * @example const { floorUs, projectUs } = await rowBenchInChild(files.cloud, 100_000);
 */
export async function rowBenchInChild(file: string, limit: number): Promise<RowBenchResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [SELF, file, String(limit)]);
  return JSON.parse(stdout) as RowBenchResult;
}

if (process.argv[1] === SELF) {
  const [file, limit] = process.argv.slice(2);
  if (!file) throw new Error("usage: row-bench.js <consumed-licenses file> [rows]");
  console.log(JSON.stringify(rowBench(rowTexts(file, Number(limit ?? 100_000)))));
}
