import { type CloudIdentities, withIdentities } from "../../collect/index.js";
import { type AccountLines, RepeatedValues } from "../../collect/readers/index.js";
import type {
  CloudCollection,
  CloudLicense,
  ExternalIdentity,
  InstanceFacts,
  ServerAccount,
  ServerCollection,
} from "../../shared/index.js";
import type { RecordWriter, RunStore } from "./run-store.js";

/** A server's collection as `collectServerInstance` returns it. */
export type SourcedServerCollection = ServerCollection & { source: InstanceFacts["source"] };

/** A stored server collection: everything but the accounts, which stream. */
export type ServerMeta = Omit<SourcedServerCollection, "accounts">;

const ACCOUNT = "a";
const LICENSE = "l";
const IDENTITY = "i";

/**
 * Sink for a GHES collection: pass `onAccount` to `collectServerInstance`, then `finish` with
 * what it returned, or `discard` when it failed (so accounts still queued for the compressor
 * never land behind a retry's DEL of the key). Accounts go to Redis as they are read; none is kept here.
 *
 * @example
 *   const sink = serverSink(store, key);
 *   const collection = await collectServerInstance(deps, server, { onAccount: sink.onAccount, onAccountLines: sink.onAccountLines }).catch(sink.discard);
 *   await sink.finish(collection);
 */
export function serverSink(
  store: RunStore,
  key: string,
): {
  onAccount: (account: ServerAccount) => void;
  onAccountLines: (batch: AccountLines) => void;
  finish: (collection: SourcedServerCollection) => Promise<number>;
  /** Stops storing (the collection failed) and rethrows `error`. */
  discard: (error: unknown) => never;
} {
  const writer: RecordWriter = store.writer(key);
  return {
    onAccount: (account) => writer.add(ACCOUNT, account),
    // Accounts parsed in a worker thread arrive as JSON already: stored without decoding them.
    onAccountLines: (batch) => writer.addLines(ACCOUNT, batch.lines, batch.count),
    async finish(collection) {
      // Collectors that ignore the sink (none today) still get their accounts stored.
      for (const account of collection.accounts) writer.add(ACCOUNT, account);
      const { accounts: _accounts, ...meta } = collection;
      const { records } = await writer.close(meta satisfies ServerMeta);
      return records;
    },
    discard(error) {
      writer.discard();
      throw error;
    },
  };
}

/** A stored server collection's header (accounts empty) and its accounts as a stream. */
export async function loadServer(
  store: RunStore,
  key: string,
): Promise<{ collection: SourcedServerCollection; accounts: AsyncGenerator<ServerAccount> }> {
  const meta = await store.meta<ServerMeta>(key);
  async function* accounts(): AsyncGenerator<ServerAccount> {
    const shared = new RepeatedValues();
    for await (const [tag, value] of store.records(key))
      if (tag === ACCOUNT) yield shared.account(value as ServerAccount);
  }
  return { collection: { ...meta, accounts: [] }, accounts: accounts() };
}

/** Records added between waits for the compressor: its queue stays a few MiB, not a copy of the collection. */
const SAVE_BATCH = 1000;

/**
 * Sink for a GHEC collection: pass `onLicense` to `collectCloud`, then `finish` with what it
 * returned. Licenses go to Redis as they are assembled, while identities are still being read,
 * so none is held until the end and little is left to store once the collection is in. Records
 * are the same, in the same order, as `saveCloud` writes: every license, then every identity.
 *
 * @example
 *   const sink = cloudSink(store, key);
 *   const cloud = await collectCloud(deps, onProgress, sink.onLicense).catch(sink.discard);
 *   await sink.finish(cloud);
 */
export function cloudSink(
  store: RunStore,
  key: string,
): {
  onLicense: (license: CloudLicense) => void;
  /** Licenses stored so far (after `finish`: all of them). */
  licenses: () => number;
  finish: (cloud: CloudCollection) => Promise<number>;
  /** Stops storing (the collection failed) and rethrows `error`. */
  discard: (error: unknown) => never;
} {
  const writer = store.writer(key);
  let licenses = 0;
  let added = 0;
  const add = async (tag: string, value: unknown) => {
    writer.add(tag, value);
    if (++added % SAVE_BATCH === 0) await writer.drained();
  };
  return {
    onLicense(license) {
      licenses++;
      writer.add(LICENSE, license);
    },
    licenses: () => licenses,
    async finish(cloud) {
      // Licenses a caller kept rather than handed over are stored too, after those handed over.
      for (const license of cloud.usage.licenses) {
        licenses++;
        await add(LICENSE, license);
      }
      for (const identity of cloud.identities) await add(IDENTITY, identity);
      const meta: CloudCollection = { ...cloud, usage: { ...cloud.usage, licenses: [] }, identities: [] };
      const { records } = await writer.close(meta);
      return records;
    },
    discard(error) {
      writer.discard();
      throw error;
    },
  };
}

/** Stores a GHEC collection held whole: rows and identities as records, the rest as meta. */
export function saveCloud(store: RunStore, key: string, cloud: CloudCollection): Promise<number> {
  return cloudSink(store, key).finish(cloud);
}

/**
 * Stores the GHEC identities (the `collect-identities` job): each identity a record, the rest
 * (verified domains, requests) as meta.
 *
 * @example await saveIdentities(store, key, await collectCloudIdentities(deps));
 */
export async function saveIdentities(store: RunStore, key: string, collected: CloudIdentities): Promise<number> {
  const writer = store.writer(key);
  let added = 0;
  try {
    for (const identity of collected.identities) {
      writer.add(IDENTITY, identity);
      if (++added % SAVE_BATCH === 0) await writer.drained();
    }
  } catch (error) {
    writer.discard();
    throw error;
  }
  const { records } = await writer.close({ ...collected, identities: [] } satisfies CloudIdentities);
  return records;
}

/**
 * Reads a stored GHEC collection back whole: the engine indexes it before any account. With
 * `identitiesKey` (runs whose identities were their own job), the identities and verified
 * domains stored there join it; without, they are the collection's own (runs added before the
 * split, still in Redis across an upgrade).
 */
export async function loadCloud(store: RunStore, key: string, identitiesKey?: string): Promise<CloudCollection> {
  const meta = await store.meta<CloudCollection>(key);
  const licenses: CloudLicense[] = [];
  const identities: ExternalIdentity[] = [];
  const shared = new RepeatedValues();
  for await (const [tag, value] of store.records(key)) {
    if (tag === LICENSE) licenses.push(shared.license(value as CloudLicense));
    else if (tag === IDENTITY) identities.push(value as ExternalIdentity);
  }
  const cloud: CloudCollection = { ...meta, usage: { ...meta.usage, licenses }, identities };
  if (identitiesKey === undefined) return cloud;
  const identitiesMeta = await store.meta<CloudIdentities>(identitiesKey);
  const stored: ExternalIdentity[] = [];
  for await (const [tag, value] of store.records(identitiesKey))
    if (tag === IDENTITY) stored.push(value as ExternalIdentity);
  return withIdentities(cloud, { ...identitiesMeta, identities: stored });
}
