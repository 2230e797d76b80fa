// Child process of the collection benchmarks: collects from a simulator running in the parent
// (so the two do not share one CPU) and prints one JSON line of what it measured.
//   collect-child.js cloud <apiUrl> <token> <concurrency>      concurrent consumed-licenses
//   collect-child.js cloud-sequential <apiUrl> <token>         page by page, the baseline
//   collect-child.js ghes <url> <token> <hostname>             stream all_users.csv, keep nothing
//   collect-child.js ghes-thread <url> <token> <hostname>      the same, parsed in a worker thread
//   collect-child.js cloud-floor <file>                        the same rows parsed from disk: CPU only
//   collect-child.js fetch-floor <apiUrl> <token> <concurrency> plain fetch + JSON.parse of every page, no client
//   collect-child.js sync <apiUrl> <ghesUrl,...> <same-thread|threads>
//                                                              a sync run's collection step: GHEC and every GHES at once
import { createReadStream } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import { readConsumedLicenses } from "../src/collect/readers/consumed-licenses.js";
import { collectConsumedLicenses } from "../src/collect/ghec/consumed-licenses.js";
import { collectGhes } from "../src/collect/ghes/collect-ghes.js";
import { consumedLicenseRowSchema, toCloudLicense } from "../src/collect/readers/cloud-row.js";
import { createGhecClient } from "../src/github/ghec-client.js";
import { createGhesClient } from "../src/github/ghes-client.js";
import { createEmailProtector } from "../src/privacy/protect.js";
import { deploymentConfigSchema } from "../src/config/deployment.js";
import { createPipelineDeps } from "../src/pipeline/deps.js";
import { collectRun } from "../src/pipeline/pipeline.js";

/** consumed-licenses pages in flight in `sync` mode (the deployment default). */
const CLOUD_CONCURRENCY = 8;

const [mode, url, token, extra] = process.argv.slice(2) as [string, string, string, string | undefined];
const logger = pino({ level: "warn" }, pino.destination(2));
const protector = createEmailProtector({ secret: "bench" });
const started = performance.now();
// CPU of this process from here on (every thread; module loading before is left out): unlike the
// wall time, it hardly moves with what else the shared machine runs.
const startedCpu = process.cpuUsage();
let result: Record<string, number>;

if (mode === "sync") {
  // The collection step of `license-sync sync` (collectRun), GHEC and the GHES reports at once;
  // the consumed-licenses time is taken when its last page is in.
  const [servers, threads] = [token.split(","), extra === "threads"];
  const deployment = deploymentConfigSchema.parse({
    enterprise: "acme",
    cloud: { apiUrl: url, token: "t", concurrency: CLOUD_CONCURRENCY },
    adminRepository: "acme/license-admin",
    servers: servers.map((serverUrl) => ({
      hostname: new URL(serverUrl).pathname.split("/").at(-1),
      url: serverUrl,
      token: "g",
      login: "admin",
    })),
    collect: { reportDeadlineSeconds: 60, pollIntervalSeconds: 0.05 },
  });
  const deps = createPipelineDeps({ deployment, logger, secret: "bench" });
  if (!threads) delete deps.threadSecret;
  let consumedLicensesMs = NaN;
  // How long this thread was busy at a stretch: what a page that has arrived may wait to be read.
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const { cloud, servers: collected } = await collectRun(deps, {
    onCloudProgress: ({ pagesRead, pages }) => {
      if (pagesRead === pages) consumedLicensesMs = performance.now() - started;
    },
  });
  result = {
    rows: cloud.usage.licenses.length,
    requests: cloud.requests,
    consumedLicensesMs,
    accounts: collected.reduce((sum, server) => sum + server.accountCount, 0),
    maxStallMs: stalls.max / 1e6,
  };
} else if (mode === "fetch-floor") {
  // The crude minimum of the same requests: Node's fetch and JSON.parse, no client stack, no validation.
  const concurrency = Number(extra);
  const get = async (page: number) => {
    const response = await fetch(`${url}/enterprises/acme/consumed-licenses?per_page=100&page=${page}`, {
      headers: { authorization: `token ${token}` },
    });
    return JSON.parse(await response.text()) as { total_seats_consumed: number; users: unknown[] };
  };
  const first = await get(1);
  const pages = Math.ceil(first.total_seats_consumed / 100);
  let rows = first.users.length;
  let next = 2;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next <= pages) {
        const page = await get(next++);
        rows += page.users.length;
      }
    }),
  );
  result = { rows, requests: pages };
} else if (mode === "cloud-floor") {
  const usage = await readConsumedLicenses(createReadStream(url), { source: url, protector });
  result = { rows: usage.licenses.length, requests: 0 };
} else if (mode === "cloud") {
  const client = createGhecClient({ apiUrl: url, token, logger, readOnly: true, concurrency: Number(extra) });
  const { usage, requests } = await collectConsumedLicenses({
    client,
    enterprise: "acme",
    protector,
    logger,
    concurrency: Number(extra),
  });
  result = { rows: usage.licenses.length, requests };
} else if (mode === "cloud-sequential") {
  // What tools that follow `page` links one at a time do: the same client, the same parsing.
  const client = createGhecClient({ apiUrl: url, token, logger, readOnly: true });
  let rows = 0;
  let requests = 0;
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /enterprises/{enterprise}/consumed-licenses", {
      enterprise: "acme",
      per_page: 100,
      page,
    });
    requests++;
    const users = (data as { users: unknown[] }).users;
    for (const user of users) toCloudLicense(consumedLicenseRowSchema.parse(user), rows++, protector);
    if (users.length < 100) break;
  }
  result = { rows, requests };
} else {
  // ghes | ghes-thread: the report streamed through the collector, on this thread or in a worker thread.
  const client = createGhesClient({ url, token, logger, readOnly: true });
  let accounts = 0;
  const collection = await collectGhes({
    client,
    server: { hostname: extra!, url, token },
    protector,
    logger,
    pollIntervalMs: 50,
    onAccount: () => void accounts++,
    ...(mode === "ghes-thread"
      ? { inThread: { secret: "bench", onAccountLines: (batch) => void (accounts += batch.count) } }
      : {}),
  });
  result = { accounts, requests: collection.requests };
}
const cpu = process.cpuUsage(startedCpu);
process.stdout.write(
  `${JSON.stringify({ ...result, wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
);
