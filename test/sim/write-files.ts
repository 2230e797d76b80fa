import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { csvChunks } from "./csv.js";
import type { Dataset } from "./dataset.js";

/** Paths written by `writeDatasetFiles`. */
export interface DatasetFiles {
  /** hostname -> `{host}.all_users.csv` */
  servers: Record<string, string>;
  /** `consumed-licenses.json`: one response-shaped object with every user. */
  cloud: string;
  /** `external-identities.json`: a JSON array of ExternalIdentity nodes. */
  identities: string;
}

/** Groups many small strings into ~64 KiB writes: one write per row would dominate the time. */
function* batched(parts: Iterable<string>, size = 64 * 1024): Generator<string> {
  let chunk = "";
  for (const part of parts) {
    chunk += part;
    if (chunk.length >= size) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

function* consumedLicensesJson(dataset: Dataset): Generator<string> {
  yield `{"total_seats_consumed":${dataset.consumedLicenseCount},"total_seats_purchased":${dataset.options.seatsPurchased},"users":[\n`;
  let first = true;
  for (const row of dataset.consumedLicenseRows()) {
    yield `${first ? "" : ",\n"}${JSON.stringify(row)}`;
    first = false;
  }
  yield "\n]}\n";
}

function* identitiesJson(dataset: Dataset): Generator<string> {
  yield "[\n";
  let first = true;
  for (const node of dataset.externalIdentities()) {
    yield `${first ? "" : ",\n"}${JSON.stringify(node)}`;
    first = false;
  }
  yield "\n]\n";
}

/** Streams chunks to a file; `pipeline` waits on `drain`, so memory stays flat. */
async function writeStreamed(path: string, chunks: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(chunks, { objectMode: false }), createWriteStream(path));
}

/**
 * Writes the dataset as the offline `report` command reads it (docs/architecture.md): one
 * `all_users.csv` per host (every host in `options.hosts`), the consumed-licenses object and the
 * identities array.
 */
export async function writeDatasetFiles(dataset: Dataset, dir: string): Promise<DatasetFiles> {
  await mkdir(dir, { recursive: true });
  const servers: Record<string, string> = {};
  for (const host of dataset.options.hosts) {
    servers[host] = join(dir, `${host}.all_users.csv`);
    await writeStreamed(servers[host], csvChunks(dataset, host));
  }
  const cloud = join(dir, "consumed-licenses.json");
  await writeStreamed(cloud, batched(consumedLicensesJson(dataset)));
  const identities = join(dir, "external-identities.json");
  await writeStreamed(identities, batched(identitiesJson(dataset)));
  return { servers, cloud, identities };
}
