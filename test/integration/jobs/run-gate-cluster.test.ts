/**
 * The run gate on Redis Cluster: every key its scripts touch is declared in KEYS, and a script's
 * keys share one hash slot. Runs against a private redis-server (MONITOR sees only this file's
 * commands), watches what the scripts do through MONITOR, asks Redis which arguments of each
 * command are keys (COMMAND GETKEYS), and computes slots as Redis Cluster does with ioredis's
 * own `cluster-key-slot`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { claimEnterprise, releaseEnterprise, type RunGateOptions } from "../../../src/jobs/flow/run-gate.js";
import { QUEUE_NAME } from "../../../src/jobs/queue/names.js";
import { freePort } from "../../support/ports.js";

/** CRC16 of the key (or of its `{hash tag}`) modulo 16384; ioredis's Cluster client routes by it. */
const calculateSlot = createRequire(import.meta.url)("cluster-key-slot") as (key: string) => number;

/** A command Redis ran, as MONITOR shows it: `lua` for commands a script ran. */
interface Seen {
  source: string;
  args: string[];
}
/** A script run and the keys it declared, with the keys each command it ran touched. */
interface ScriptRun {
  declared: string[];
  touched: string[][];
}

const dir = mkdtempSync(path.join(tmpdir(), "license-sync-gate-cluster-"));
let server: ChildProcess;
let port: number;
const clients: Redis[] = [];
const connect = (options: { maxRetriesPerRequest?: null } = {}) => {
  const client = new Redis({ host: "127.0.0.1", port, ...options });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  port = await freePort();
  server = spawn(
    "redis-server",
    [...["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir]],
    { stdio: "ignore" },
  );
  // ioredis retries the connection until the server listens.
  await connect().ping();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  server.kill("SIGTERM");
  if (server.exitCode === null) await once(server, "exit");
  rmSync(dir, { recursive: true, force: true });
});

/** Records every command the server runs while `work` runs; ends on a marker so nothing is missed. */
async function watch(work: () => Promise<void>, marker: Redis): Promise<Seen[]> {
  const monitor = await connect().monitor();
  const seen: Seen[] = [];
  const label = `watch-end-${Math.random().toString(36).slice(2)}`;
  const ended = new Promise<void>((resolve) =>
    monitor.on("monitor", (_time: string, args: string[], source: string) => {
      if (args[0]?.toLowerCase() === "echo" && args[1] === label) resolve();
      else seen.push({ source, args });
    }),
  );
  await work();
  await marker.echo(label);
  await ended;
  monitor.disconnect();
  return seen;
}

/** The scripts `client` ran, each with its declared keys and the keys of the commands it ran. */
async function scriptRuns(seen: Seen[], client: Redis, inspector: Redis): Promise<ScriptRun[]> {
  const source = `127.0.0.1:${client.stream.localPort}`;
  const runs: ScriptRun[] = [];
  let current: ScriptRun | undefined;
  for (const { source: from, args } of seen) {
    if (from === "lua") {
      if (!current) continue;
      const keys = (await inspector.call("COMMAND", "GETKEYS", ...args).catch(() => [])) as string[];
      current.touched.push(keys);
      continue;
    }
    current = undefined;
    if (from !== source || !/^eval(sha)?(_ro)?$/i.test(args[0] ?? "")) continue;
    const count = Number(args[2]);
    current = { declared: args.slice(3, 3 + count), touched: [] };
    runs.push(current);
  }
  return runs;
}

/** Scripts that touch a key they did not declare, or declare keys in more than one slot. */
function clusterUnsafe(runs: ScriptRun[]): string[] {
  const problems: string[] = [];
  for (const run of runs) {
    for (const key of run.touched.flat())
      if (!run.declared.includes(key)) problems.push(`touches ${key}, not in KEYS [${run.declared.join(", ")}]`);
    const slots = new Set(run.declared.map(calculateSlot));
    if (slots.size > 1) problems.push(`KEYS [${run.declared.join(", ")}] span ${slots.size} hash slots`);
  }
  return problems;
}

test("every key the gate's scripts touch is in KEYS, in one hash slot, with BullMQ on a {hash-tagged} prefix", async () => {
  const prefix = "{ls-gate}";
  const redis = connect();
  const queue = new Queue(QUEUE_NAME, { connection: connect({ maxRetriesPerRequest: null }), prefix });
  await queue.waitUntilReady();
  const gate: RunGateOptions = { redis, prefix, queue, graceMs: 1000 };
  const inspector = connect();
  const seen = await watch(async () => {
    expect(await claimEnterprise(gate, "acme", "a1", 1000)).toBeNull();
    await queue.add("reconcile-publish", {}, { jobId: "a1", timestamp: 1000 });
    expect(await claimEnterprise(gate, "acme", "a2", 5000)).toBe("a1");
    expect(await claimEnterprise(gate, "acme", "a1", 5000)).toBeNull();
    await releaseEnterprise(gate, "acme", "someone-else");
    await releaseEnterprise(gate, "acme", "a1");
    expect(await claimEnterprise(gate, "acme", "a2", 6000)).toBeNull();
    // a2's flow never came: a3 takes the lapsed claim over (the compare-and-set path).
    expect(await claimEnterprise(gate, "acme", "a3", 8000)).toBeNull();
  }, inspector);
  await queue.close();

  const runs = await scriptRuns(seen, redis, inspector);
  expect(runs.length).toBeGreaterThanOrEqual(6);
  expect(runs.flatMap((run) => run.touched).filter((keys) => keys.length > 0).length).toBeGreaterThanOrEqual(6);
  expect(clusterUnsafe(runs)).toEqual([]);
  // The gate's key sits in the queue's slot, as BullMQ's own keys do under a hash-tagged prefix.
  const gateKeys = [...new Set(runs.flatMap((run) => run.declared))];
  expect(new Set([...gateKeys, `${prefix}:${QUEUE_NAME}:a1`].map(calculateSlot)).size).toBe(1);
});

test("slots are Redis Cluster's: CRC16 of the key, or of its hash tag", () => {
  // The values CLUSTER KEYSLOT answers for these keys.
  expect(calculateSlot("somekey")).toBe(11058);
  expect(calculateSlot("foo")).toBe(12182);
  expect(calculateSlot("{user1000}.following")).toBe(calculateSlot("{user1000}.followers"));
});

test("the check finds a script that reads a key built from ARGV, and KEYS across slots", async () => {
  const client = connect();
  const inspector = connect();
  await client.hset("{other}:license-sync:r1", "finishedOn", "1");
  const seen = await watch(async () => {
    await client.eval(
      "return redis.call('HGET', ARGV[1] .. 'r1', 'finishedOn')",
      1,
      "{ls}:gate",
      "{other}:license-sync:",
    );
    await client
      .eval("return redis.call('EXISTS', KEYS[1], KEYS[2])", 2, "{a}:x", "{b}:y")
      .catch((error: unknown) => error);
  }, inspector);
  expect(clusterUnsafe(await scriptRuns(seen, client, inspector))).toEqual([
    "touches {other}:license-sync:r1, not in KEYS [{ls}:gate]",
    "KEYS [{a}:x, {b}:y] span 2 hash slots",
  ]);
});
