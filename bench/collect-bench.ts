import { fileURLToPath } from "node:url";
import { createDataset } from "../test/sim/dataset.js";
import { startSimulator } from "../test/sim/server.js";
import { measureNode, median, type Measurement } from "./measure.js";
import { REPORT_DATASET, datasetFiles } from "./report-bench.js";

const CHILD = fileURLToPath(new URL("./collect-child.js", import.meta.url));
const LATENCY_MS = 20;
const SLOW_LATENCY_MS = 100;
const CONCURRENCY = 8;

interface ChildResult extends Measurement {
  result: { rows?: number; accounts?: number; requests: number; wallMs: number };
}

/** Runs the child while this process serves the simulator (spawned async: the sim must keep answering). */
async function runChild(args: string[]): Promise<ChildResult> {
  let stdout = "";
  const measurement = await measureNode([CHILD, ...args], {}, (child) =>
    child.stdout?.on("data", (chunk) => (stdout += chunk)),
  );
  if (measurement.exitCode !== 0) throw new Error(`collect child failed: ${measurement.stderr}`);
  return { ...measurement, result: JSON.parse(stdout) };
}

export interface CollectBenchResult {
  pages: number;
  concurrent: ChildResult[];
  /** The same at 100 ms, closer to what the real endpoint answers in. */
  slower: ChildResult;
  sequential: ChildResult;
  /** Validating and keying the same rows from a file: the CPU the collector cannot avoid. */
  cpuFloor: ChildResult;
  ghes: ChildResult;
  ghesAccounts: number;
}

/**
 * Issue #3's collection benchmark:
 *  1. 300,000 consumed-licenses rows at 20 ms simulated latency, concurrent (8) vs page by page
 *  2. one GHES report of 1,000,000 accounts streamed through the collector, keeping nothing
 */
export async function collectBench(runs: number): Promise<CollectBenchResult> {
  // 3,000 requests a run: more than one run would exhaust GitHub's 5,000/hour, so the simulated
  // budget is raised and reset between runs (a real enterprise of this size spends 60% of an hour's budget).
  const cloudSim = await startSimulator({
    dataset: createDataset(REPORT_DATASET),
    tokens: { t: { scopes: ["read:enterprise"] } },
    faults: { latencyMs: LATENCY_MS },
    rateLimit: 1_000_000,
  });
  const pages = Math.ceil(cloudSim.context.dataset.consumedLicenseCount / 100);
  const concurrent: ChildResult[] = [];
  for (let i = 0; i < runs; i++) {
    cloudSim.reset();
    concurrent.push(await runChild(["cloud", cloudSim.url, "t", String(CONCURRENCY)]));
  }
  cloudSim.reset();
  const sequential = await runChild(["cloud-sequential", cloudSim.url, "t"]);
  await cloudSim.close();
  const slowSim = await startSimulator({
    dataset: createDataset(REPORT_DATASET),
    tokens: { t: { scopes: ["read:enterprise"] } },
    faults: { latencyMs: SLOW_LATENCY_MS },
    rateLimit: 1_000_000,
  });
  const slower = await runChild(["cloud", slowSim.url, "t", String(CONCURRENCY)]);
  await slowSim.close();
  const { files } = await datasetFiles(REPORT_DATASET);
  const cpuFloor = await runChild(["cloud-floor", files.cloud]);

  const host = "ghes-big.corp.example";
  const big = createDataset({
    seed: 11,
    persons: 1_000_000,
    hosts: [host],
    mix: { cloudOnly: 0, staleOtherHost: 0, serverOnlyUnsynced: 0.6, matchedVerifiedDomainEmail: 0.4 },
    noise: { multiHost: 0 },
  });
  const ghesSim = await startSimulator({ dataset: big, tokens: { g: { scopes: ["site_admin"], login: "admin" } } });
  const ghes = await runChild(["ghes", ghesSim.serverUrl(host), "g", host]);
  await ghesSim.close();
  return { pages, concurrent, slower, sequential, cpuFloor, ghes, ghesAccounts: big.expected.perHost[host]!.accounts };
}

/** Markdown lines for docs/benchmarks.md. */
export function formatCollectBench(r: CollectBenchResult): string {
  const ideal = (r.pages * LATENCY_MS) / CONCURRENCY;
  const slowIdeal = (r.pages * SLOW_LATENCY_MS) / CONCURRENCY;
  const wall = median(r.concurrent.map((m) => m.result.wallMs));
  const requests = r.concurrent[0]!.result.requests;
  const seq = r.sequential.result.wallMs;
  return [
    `consumed-licenses: ${r.concurrent[0]!.result.rows!.toLocaleString("en-US")} rows = ${r.pages} pages at ${LATENCY_MS} ms simulated latency, concurrency ${CONCURRENCY} (median of ${r.concurrent.length} runs).`,
    "",
    "| run | requests | wall time | vs ideal (pages x latency / concurrency) | peak RSS |",
    "|---|---:|---:|---:|---:|",
    `| concurrent | ${requests} (${(requests / r.pages).toFixed(2)}x minimum) | ${(wall / 1000).toFixed(2)} s | ${(wall / ideal).toFixed(2)}x (ideal ${(ideal / 1000).toFixed(2)} s) | ${Math.max(...r.concurrent.map((m) => m.peakRssMiB)).toFixed(0)} MiB |`,
    `| sequential baseline | ${r.sequential.result.requests} | ${(seq / 1000).toFixed(2)} s | ${(seq / ideal).toFixed(2)}x | ${r.sequential.peakRssMiB.toFixed(0)} MiB |`,
    `| concurrent at ${SLOW_LATENCY_MS} ms | ${r.slower.result.requests} | ${(r.slower.result.wallMs / 1000).toFixed(2)} s | ${(r.slower.result.wallMs / slowIdeal).toFixed(2)}x (ideal ${(slowIdeal / 1000).toFixed(2)} s) | ${r.slower.peakRssMiB.toFixed(0)} MiB |`,
    `| CPU floor: same rows validated and keyed from a file, no HTTP | 0 | ${(r.cpuFloor.result.wallMs / 1000).toFixed(2)} s | | ${r.cpuFloor.peakRssMiB.toFixed(0)} MiB |`,
    "",
    `Requests / minimum = **${(requests / r.pages).toFixed(2)}** (goal 1.00); wall / ideal = **${(wall / ideal).toFixed(2)}** at ${LATENCY_MS} ms and **${(r.slower.result.wallMs / slowIdeal).toFixed(2)}** at ${SLOW_LATENCY_MS} ms (goal <= 1.3); concurrent is **${(seq / wall).toFixed(1)}x** faster than page by page. Validating and keying the rows alone takes ${(r.cpuFloor.result.wallMs / 1000).toFixed(2)} s of CPU (${((r.cpuFloor.result.wallMs / ideal) * 100).toFixed(0)}% of the ${LATENCY_MS} ms ideal), so at ${LATENCY_MS} ms the collector is bound by its own CPU, not by latency.`,
    "",
    `GHES report: ${r.ghes.result.accounts!.toLocaleString("en-US")} accounts (generator: ${r.ghesAccounts.toLocaleString("en-US")}) streamed in ${(r.ghes.result.wallMs / 1000).toFixed(2)} s, peak RSS **${r.ghes.peakRssMiB.toFixed(0)} MiB** (goal <= 512 MiB).`,
  ].join("\n");
}
