import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { cloudJobId, identitiesJobId, parentJobId, QUEUE_NAME, serverJobId } from "../src/jobs/queue/names.js";
import { createRootLogger } from "../src/runtime/logger.js";
import { APP_ID } from "../test/sim/app-fixture.js";
import type { DatasetOptions } from "../test/sim/dataset.js";
import { INSTALLATION_ID, OWNER, REPO, startEmbedded, type Embedded } from "../test/support/app-harness.js";
import { throwawayAppIdentity } from "../test/support/app-key.js";
import { freePort } from "../test/support/ports.js";
import { waitFor } from "../test/support/wait.js";
import { installationDelivery } from "../test/support/webhooks.js";
import { measureNode, scaled, seconds, type Measurement } from "./measure.js";
import type { BenchRow } from "./table.js";

const WORKER = fileURLToPath(new URL("../../dist/worker.js", import.meta.url));
const LATENCY_MS = 20;
const SECRET = "app-bench-license-sync-secret";
const MiB = 1024 * 1024;
/** Goals of issue 12, goal 4. */
const GOAL = { seconds: 60, workerRssMiB: 512, redisMiB: 256 };

/**
 * Issue 12's enterprise: 300,000 consumed-licenses rows and two GHES instances with about
 * 1,000,000 accounts together (most people on both, a tail of suspended extras).
 */
export const APP_DATASET: Omit<DatasetOptions, "enterprise"> = {
  seed: 2027,
  persons: 542_700,
  hosts: ["ghes-a.corp.example", "ghes-b.corp.example"],
  seatsPurchased: 320_000,
  mix: { cloudOnly: 0.1, serverOnlyUnsynced: 0.55 },
  noise: { multiHost: 1, suspendedExtra: 0.1 },
};

/** A private redis-server, so its memory figures are this run's alone. */
async function startRedis(): Promise<{ url: string; redis: Redis; stop: () => Promise<void> }> {
  const port = await freePort();
  const server = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  // Connects as soon as the server listens; refusals until then are expected, not errors.
  const redis = new Redis(url, { connectionName: "license-sync:bench:memory", retryStrategy: () => 50 });
  redis.on("error", () => undefined);
  await waitFor("the benchmark's redis-server", async () => (redis.status === "ready" ? true : undefined), 10_000, 50);
  return {
    url,
    redis,
    async stop() {
      await redis.quit().catch(() => redis.disconnect());
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    },
  };
}

const usedMemory = async (redis: Redis, field = "used_memory") =>
  Number(new RegExp(`^${field}:(\\d+)`, "m").exec(await redis.info("memory"))?.[1] ?? NaN);

interface WorkerRun {
  child: ChildProcess | undefined;
  logs: string;
  done: Promise<Measurement>;
  /** Set once the process has exited. */
  ended?: Measurement;
}

/** `npm run worker` as it runs in production (dist/worker.js), its peak RSS measured by measureNode. */
function startWorker(env: Record<string, string>): WorkerRun {
  const run: WorkerRun = { child: undefined, logs: "", done: Promise.resolve() as unknown as Promise<Measurement> };
  run.done = measureNode([WORKER], env, (child) => {
    run.child = child;
    child.stdout?.on("data", (chunk: Buffer) => (run.logs += chunk.toString()));
  });
  void run.done.then((measurement) => (run.ended = measurement));
  return run;
}

interface LogLine {
  time: number;
  msg: string;
  runId?: string;
}

const logLines = (workers: WorkerRun[]): LogLine[] =>
  workers
    .flatMap((w) => w.logs.split("\n"))
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);

export interface AppRun {
  workers: number;
  /** From delivering `/license-sync now` to the summary issue in the admin repository. */
  toSummaryMs: number;
  state: string;
  uniqueUsers: number | undefined;
  workerRssMiB: number[];
  /** Redis used_memory over the run: peak minus what it held before the command. */
  redisPeakMiB: number;
  /** Seconds of each step, from the jobs' own timestamps and the worker's log lines. */
  breakdown: {
    start: number;
    ghes: number[];
    /** The `collect-cloud` job: consumed licenses and sync status. */
    ghec: number;
    /** The `collect-identities` job: the serial GraphQL pages of the identities, and the verified domains. */
    identities: number;
    reconcile: number;
    publish: number;
    afterSummary: number;
    /** Which worker process ran each step (`worker 1`, `worker 2`), in the order above: GHES, GHEC, identities, parent. */
    workerOf: { ghes: string[]; ghec: string; identities: string; parent: string };
  };
  /** Share of the machine's cores busy (any process) from the command to the summary issue, in percent. */
  cpuBusyPercent: number;
  rows: number;
  accounts: number;
}

/** One run of the App on a fresh Redis: web process here, `workers` worker processes, the simulator here. */
async function appRun(workers: number, dataset: Omit<DatasetOptions, "enterprise">): Promise<AppRun> {
  const redis = await startRedis();
  const prefix = "bench";
  const logger = await createRootLogger({ level: "error", format: "json" });
  let env: Embedded | undefined;
  const started: WorkerRun[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), "license-sync-app-bench-"));
  try {
    env = await startEmbedded({
      redisUrl: redis.url,
      prefix,
      logger,
      dataset,
      workers: 0,
      // Reports rendered before the clock starts, as GHES prepares them: the fake's CSV generation
      // (about 10 s of CPU for a million rows) is not the App's and would take one of its 2 cores.
      simulator: { faults: { latencyMs: LATENCY_MS }, rateLimit: 1_000_000, prerenderReports: true },
    });
    const config = path.join(dir, "license-sync.config.json");
    writeFileSync(config, JSON.stringify(env.deployment));
    const workerEnv = {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: throwawayAppIdentity().privateKey,
      REDIS_URL: redis.url,
      LICENSE_SYNC_CONFIG: config,
      LICENSE_SYNC_SECRET: SECRET,
      LICENSE_SYNC_QUEUE_PREFIX: prefix,
      LICENSE_SYNC_WORKER_CONCURRENCY: "4",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      // BENCH_WORKER_NODE_OPTIONS: Node options of the worker processes only (a heap cap, say).
      ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
    };
    for (let i = 0; i < workers; i++) started.push(startWorker(workerEnv));
    await waitFor(
      "the worker processes to start",
      async () => {
        // A worker that cannot start (a Node option refused, say) ends the run now, saying why.
        const ended = started.find((w) => w.ended)?.ended;
        if (ended)
          throw new Error(
            `a worker process exited (code ${ended.exitCode}) before it started: ${ended.stderr.trim().slice(-2000)}`,
          );
        return started.every((w) => w.logs.includes("worker process started")) ? true : undefined;
      },
      60_000,
      50,
    );
    await env.deliver(installationDelivery("created", INSTALLATION_ID, OWNER, APP_ID));
    const before = await usedMemory(redis.redis);
    let peak = before;
    const sampler = setInterval(() => {
      usedMemory(redis.redis).then(
        (used) => (peak = Math.max(peak, used)),
        () => undefined,
      );
    }, 100);
    const cpuAtStart = cpuTimes();
    const t0 = Date.now();
    await env.comment("/license-sync now");
    const sim = env.sim;
    await waitFor(
      "the summary issue",
      async () =>
        sim.repo(OWNER, REPO).issues.some((i) => i.labels.includes("license-sync") && /^License usage/.test(i.title))
          ? true
          : undefined,
      600_000,
      100,
    );
    const summaryAt = Date.now();
    const cpuBusyPercent = busyPercent(cpuAtStart, cpuTimes());
    const toSummaryMs = summaryAt - t0;
    const web = env.web;
    const run = await waitFor(
      "the run to finish",
      async () => {
        const [latest] = await web.queue.recentRuns(OWNER, 1);
        return latest && (latest.state === "completed" || latest.state === "failed") ? latest : undefined;
      },
      600_000,
      100,
    );
    clearInterval(sampler);
    peak = Math.max(peak, await usedMemory(redis.redis, "used_memory_peak"));
    const breakdown = await stepTimes(redis.redis, prefix, run.runId, dataset.hosts.length, logLines(started), {
      commandAt: t0,
      summaryAt,
    });
    for (const w of started) w.child?.kill("SIGTERM");
    const measured = await Promise.all(started.map((w) => w.done));
    // The workers' own log lines, for a closer look at a run (bench/out/app-<workers>w-<n>.log).
    mkdirSync("bench/out", { recursive: true });
    started.forEach((w, i) => writeFileSync(`bench/out/app-${workers}w-${i + 1}.log`, w.logs));
    started.length = 0;
    return {
      workers,
      toSummaryMs,
      state: run.state,
      uniqueUsers: run.uniqueUsers,
      workerRssMiB: measured.map((m) => m.peakRssMiB),
      redisPeakMiB: (peak - before) / MiB,
      breakdown,
      cpuBusyPercent,
      rows: sim.context.dataset.consumedLicenseCount,
      accounts: Object.values(sim.context.dataset.expected.perHost).reduce((sum, h) => sum + h.accounts, 0),
    };
  } finally {
    for (const w of started) w.child?.kill("SIGKILL");
    await env?.close().catch(() => undefined);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both sides of /proc/stat's first line: jiffies idle (with iowait) and in all. */
function cpuTimes(): { idle: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3]! + (fields[4] ?? 0), total: fields.reduce((sum, value) => sum + value, 0) };
}

function busyPercent(from: { idle: number; total: number }, to: { idle: number; total: number }): number {
  const total = to.total - from.total;
  return total > 0 ? (100 * (total - (to.idle - from.idle))) / total : NaN;
}

/**
 * Each step's seconds: the collect jobs from BullMQ's own `processedOn`/`finishedOn`, the parent
 * job split at its "run reconciled" log line and at the summary issue; `start` is from the command
 * to the flow's first job.
 */
async function stepTimes(
  redis: Redis,
  prefix: string,
  runId: string,
  hosts: number,
  logs: LogLine[],
  at: { commandAt: number; summaryAt: number },
): Promise<AppRun["breakdown"]> {
  const connection = redis.duplicate();
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  try {
    const span = async (id: string) => {
      const job = await queue.getJob(id);
      if (!job?.processedOn || !job.finishedOn) throw new Error(`job ${id} has no timestamps`);
      return { from: job.processedOn, to: job.finishedOn, by: job.processedBy ?? "?" };
    };
    const cloud = await span(cloudJobId(runId));
    const identities = await span(identitiesJobId(runId));
    const servers = await Promise.all(Array.from({ length: hosts }, (_, i) => span(serverJobId(runId, i))));
    const parent = await span(parentJobId(runId));
    const reconciled = logs.find((line) => line.msg === "run reconciled" && line.runId === runId);
    if (!reconciled) throw new Error("no 'run reconciled' log line of the run");
    // Worker processes numbered in the order they first appear: the parent's is worker 1.
    const names = [...new Set([parent.by, cloud.by, identities.by, ...servers.map((server) => server.by)])];
    const workerName = (name: string) => `worker ${names.indexOf(name) + 1}`;
    const firstCollect = Math.min(cloud.from, identities.from, ...servers.map((s) => s.from));
    return {
      start: (firstCollect - at.commandAt) / 1000,
      ghes: servers.map((s) => (s.to - s.from) / 1000),
      ghec: (cloud.to - cloud.from) / 1000,
      identities: (identities.to - identities.from) / 1000,
      reconcile: (reconciled.time - parent.from) / 1000,
      publish: (at.summaryAt - reconciled.time) / 1000,
      afterSummary: (parent.to - at.summaryAt) / 1000,
      workerOf: {
        ghes: servers.map((s) => workerName(s.by)),
        ghec: workerName(cloud.by),
        identities: workerName(identities.by),
        parent: workerName(parent.by),
      },
    };
  } finally {
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
  }
}

/**
 * Issue 12, goal 4: a 300,000-user enterprise through the App end to end, from
 * `/license-sync now` (a signed webhook to the web process) to the summary issue, with one
 * worker process and then two, on a private Redis; the simulator answers every request after
 * 20 ms. `scale` shrinks the enterprise (BENCH_SCALE).
 */
export async function appBench(scale = 1, env: NodeJS.ProcessEnv = process.env): Promise<BenchRow[]> {
  const dataset = { ...APP_DATASET, persons: scaled(APP_DATASET.persons, scale) };
  const one = await appRun(1, dataset);
  // BENCH_APP_WORKERS=1: the one-worker run only, for a quicker look at a change (half the time).
  if (env.BENCH_APP_WORKERS === "1") return appRows(one);
  const two = await appRun(2, dataset);
  return appRows(one, two);
}

/** The table rows of the runs: the one-worker run with its breakdown, and the two-worker run when made. */
function appRows(one: AppRun, two?: AppRun): BenchRow[] {
  const size = `${one.rows.toLocaleString("en-US")} cloud rows + ${one.accounts.toLocaleString("en-US")} GHES accounts (2 instances), ${LATENCY_MS} ms`;
  const rss = (run: AppRun) => Math.max(...run.workerRssMiB);
  const breakdownRows = (run: AppRun): BenchRow[] => {
    const b = run.breakdown;
    const on = (worker: string) => (run.workers > 1 ? ` (${worker})` : "");
    const step = (name: string, value: string): BenchRow => ({
      measure: `  App, ${run.workers} worker${run.workers > 1 ? "s" : ""}: ${name}`,
      project: value,
      goal: "(breakdown)",
    });
    return [
      step("command to first collect job", `${b.start.toFixed(2)} s`),
      step(
        "collect GHES (each instance, in parallel)",
        b.ghes.map((s, i) => `${s.toFixed(2)} s${on(b.workerOf.ghes[i]!)}`).join(", "),
      ),
      step(
        "collect GHEC licenses and sync status (job collect-cloud, in parallel)",
        `${b.ghec.toFixed(2)} s${on(b.workerOf.ghec)}`,
      ),
      step(
        "collect GHEC identities (job collect-identities, GraphQL pages from both ends, in parallel)",
        `${b.identities.toFixed(2)} s${on(b.workerOf.identities)}`,
      ),
      step("reconcile (load from Redis, engine, divergences)", `${b.reconcile.toFixed(2)} s${on(b.workerOf.parent)}`),
      step("publish, up to the summary issue", `${b.publish.toFixed(2)} s`),
      step("after the summary issue (divergence issues, reply; not in the total)", `${b.afterSummary.toFixed(2)} s`),
      step("the machine's 2 cores busy (any process), command to summary issue", `${run.cpuBusyPercent.toFixed(0)} %`),
    ];
  };
  const rows: BenchRow[] = [
    {
      measure: `App end to end, /license-sync now to summary issue: ${size}, 1 worker`,
      project: `${seconds(one.toSummaryMs)} (${one.state}); worker ${rss(one).toFixed(0)} MiB; Redis +${one.redisPeakMiB.toFixed(0)} MiB`,
      goal: `<= ${GOAL.seconds} s, worker RSS <= ${GOAL.workerRssMiB} MiB, Redis <= ${GOAL.redisMiB} MiB`,
      met:
        one.state === "completed" &&
        one.toSummaryMs <= GOAL.seconds * 1000 &&
        rss(one) <= GOAL.workerRssMiB &&
        one.redisPeakMiB <= GOAL.redisMiB,
    },
    ...breakdownRows(one),
  ];
  if (!two) return rows;
  return [
    ...rows,
    {
      measure: `App end to end, same enterprise, 2 workers`,
      project: `${seconds(two.toSummaryMs)} (${two.state}); workers ${two.workerRssMiB.map((m) => m.toFixed(0)).join(" + ")} MiB; Redis +${two.redisPeakMiB.toFixed(0)} MiB`,
      ratio: `${(one.toSummaryMs / two.toSummaryMs).toFixed(2)}x faster than 1 worker`,
      goal: "2 workers faster than 1",
      met: two.state === "completed" && two.toSummaryMs < one.toSummaryMs,
    },
    ...breakdownRows(two),
  ];
}
