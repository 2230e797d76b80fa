// Child process of the collection benchmarks: collects from a simulator running in the parent
// (so the two do not share one CPU) and prints one JSON line of what it measured.
//   collect-child.js cloud <apiUrl> <token> <concurrency>      concurrent consumed-licenses
//   collect-child.js cloud-sequential <apiUrl> <token>         page by page, the baseline
//   collect-child.js ghes <url> <token> <hostname>             stream all_users.csv, keep nothing
//   collect-child.js cloud-floor <file>                        the same rows parsed from disk: CPU only
import { createReadStream } from "node:fs";
import { pino } from "pino";
import { readConsumedLicenses } from "../src/collect/readers/consumed-licenses.js";
import { collectConsumedLicenses } from "../src/collect/ghec/consumed-licenses.js";
import { collectGhes } from "../src/collect/ghes/collect-ghes.js";
import { consumedLicenseRowSchema, toCloudLicense } from "../src/collect/readers/cloud-row.js";
import { createGhecClient } from "../src/github/ghec-client.js";
import { createGhesClient } from "../src/github/ghes-client.js";
import { createEmailProtector } from "../src/privacy/protect.js";

const [mode, url, token, extra] = process.argv.slice(2) as [string, string, string, string | undefined];
const logger = pino({ level: "warn" }, pino.destination(2));
const protector = createEmailProtector({ secret: "bench" });
const started = performance.now();
let result: Record<string, number>;

if (mode === "cloud-floor") {
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
  const client = createGhesClient({ url, token, logger, readOnly: true });
  let accounts = 0;
  const collection = await collectGhes({
    client,
    server: { hostname: extra!, url, token },
    protector,
    logger,
    pollIntervalMs: 50,
    onAccount: () => void accounts++,
  });
  result = { accounts, requests: collection.requests };
}
process.stdout.write(`${JSON.stringify({ ...result, wallMs: performance.now() - started })}\n`);
