import { UnrecoverableError } from "bullmq";
import {
  cloudSink,
  loadCloud,
  loadServer,
  saveCloud,
  saveIdentities,
  serverSink,
} from "../../../src/jobs/store/collection-codec.js";
import { RunStore } from "../../../src/jobs/store/run-store.js";
import type { CloudCollection } from "../../../src/shared/collection.js";
import type { CloudLicense, ServerAccount } from "../../../src/shared/report.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";

const { redis, prefix } = testRedis("store");
afterAll(() => dropTestRedis(redis, prefix));

const account = (id: number): ServerAccount => ({
  hostname: "ghes-a.corp.example",
  id,
  handleKeys: [`h${id}`],
  primaryEmail: { key: `k${id}`, masked: "u***@corp.example", domain: "corp.example" },
  suspended: id % 7 === 0,
  dormant: false,
  siteAdmin: false,
  licensable: true,
});

test("records stream through gzip'd chunks and come back in order, with a TTL", async () => {
  const store = new RunStore(redis, { chunkBytes: 1024, ttlSeconds: 120 });
  const writer = store.writer(`${prefix}:a`);
  for (let i = 0; i < 5000; i++) writer.add("a", account(i));
  const stats = await writer.close({ hostname: "ghes-a.corp.example" });
  expect(stats.records).toBe(5000);
  expect(stats.chunks).toBeGreaterThan(1);
  expect(await redis.llen(`${prefix}:a:chunks`)).toBe(stats.chunks);
  expect(await redis.ttl(`${prefix}:a:chunks`)).toBeGreaterThan(100);
  expect(await redis.ttl(`${prefix}:a:meta`)).toBeGreaterThan(100);
  const ids: number[] = [];
  for await (const [tag, value] of store.records(`${prefix}:a`)) {
    expect(tag).toBe("a");
    ids.push((value as ServerAccount).id);
  }
  expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  expect(await store.meta(`${prefix}:a`)).toEqual({ hostname: "ghes-a.corp.example" });
});

test("drained: the compressor's queue is empty when it resolves, and waiting on it loses no record", async () => {
  const store = new RunStore(redis, { chunkBytes: 1024 });
  const writer = store.writer(`${prefix}:drained`);
  let waits = 0;
  for (let i = 0; i < 3000; i++) {
    writer.add("a", account(i));
    if (i % 500 === 499) {
      await writer.drained();
      waits++;
      expect(writer.queuedBytes()).toBe(0);
    }
  }
  expect(waits).toBe(6);
  expect((await writer.close({})).records).toBe(3000);
  const ids: number[] = [];
  for await (const [, value] of store.records(`${prefix}:drained`)) ids.push((value as ServerAccount).id);
  expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => i));
});

test("records added as JSON lines read back as the same records as those added one by one", async () => {
  const store = new RunStore(redis, { chunkBytes: 1024 });
  const writer = store.writer(`${prefix}:lines`);
  writer.add("a", account(0));
  const batch = [1, 2, 3].map((id) => `${JSON.stringify(account(id))}\n`).join("");
  writer.addLines("a", batch, 3);
  writer.addLines("a", "", 0);
  writer.add("l", { index: 9 });
  const stats = await writer.close({});
  expect(stats.records).toBe(5);
  const records = [];
  for await (const record of store.records(`${prefix}:lines`)) records.push(record);
  expect(records).toEqual([
    ["a", account(0)],
    ["a", account(1)],
    ["a", account(2)],
    ["a", account(3)],
    ["l", { index: 9 }],
  ]);
});

test("writing a key again replaces it (a retried collection)", async () => {
  const store = new RunStore(redis);
  for (const count of [30, 3]) {
    const writer = store.writer(`${prefix}:again`);
    for (let i = 0; i < count; i++) writer.add("a", i);
    await writer.close({ count });
  }
  const values = [];
  for await (const [, value] of store.records(`${prefix}:again`)) values.push(value);
  expect(values).toEqual([0, 1, 2]);
});

test("an expired or missing collection is an UnrecoverableError naming the key", async () => {
  await expect(new RunStore(redis).meta(`${prefix}:gone`)).rejects.toBeInstanceOf(UnrecoverableError);
});

test("server and cloud collections round-trip; deleteUnder removes a run's keys", async () => {
  const store = new RunStore(redis, { chunkBytes: 512 });
  const sink = serverSink(store, `${prefix}:run1:server`);
  for (let i = 1; i <= 50; i++) sink.onAccount(account(i));
  const collection = {
    hostname: "ghes-a.corp.example",
    source: "api" as const,
    accounts: [],
    accountCount: 50,
    collectedAt: "2026-11-23T12:00:00.000Z",
    license: null,
    stats: null,
    billableAccounts: 43,
    seatsUsedDifference: null,
    durationMs: 5,
    requests: 4,
  };
  expect(await sink.finish(collection)).toBe(50);
  const loaded = await loadServer(store, `${prefix}:run1:server`);
  expect(loaded.collection).toEqual(collection);
  const accounts = [];
  for await (const a of loaded.accounts) accounts.push(a);
  expect(accounts).toEqual(Array.from({ length: 50 }, (_, i) => account(i + 1)));

  const cloud: CloudCollection = {
    usage: {
      seatsConsumed: 2,
      seatsPurchased: 10,
      verifiedEmailDomains: ["corp.example"],
      licenses: [
        {
          index: 0,
          login: "mona",
          serverUserIds: [],
          githubComUser: true,
          enterpriseServerUser: false,
          visualStudioUser: false,
          samlNameId: null,
          verifiedDomainEmails: ["k1"],
          serverEmails: [],
          visualStudioEmail: null,
          handleKeys: [],
        },
      ],
    },
    syncStatus: [],
    identities: [{ login: "mona", emailKeys: ["k1"], handleKeys: [] }],
    verifiedDomains: ["corp.example"],
    requests: 3,
    totalsChangedMidRun: false,
    durationMs: 9,
  };
  expect(await saveCloud(store, `${prefix}:run1:cloud`, cloud)).toBe(2);
  expect(await loadCloud(store, `${prefix}:run1:cloud`)).toEqual(cloud);

  expect(await store.deleteUnder(`${prefix}:run1:`)).toBe(4);
  expect(await redis.keys(`${prefix}:run1:*`)).toEqual([]);
});

const cloudLicense = (index: number): CloudLicense => ({
  index,
  login: `user${index}`,
  serverUserIds: [{ hostname: "ghes-a.corp.example", id: index }],
  githubComUser: true,
  enterpriseServerUser: true,
  visualStudioUser: false,
  samlNameId: null,
  verifiedDomainEmails: [`v${index}`],
  serverEmails: [`s${index}`],
  visualStudioEmail: null,
  handleKeys: [`h${index}`],
});

test("a cloud sink stores licenses as they come, expiring, and reads back as saveCloud's collection", async () => {
  const store = new RunStore(redis, { chunkBytes: 1024, ttlSeconds: 120 });
  const licenses = Array.from({ length: 3000 }, (_, i) => cloudLicense(i));
  const cloud: CloudCollection = {
    usage: { seatsConsumed: 3000, seatsPurchased: null, verifiedEmailDomains: [], licenses },
    syncStatus: [],
    identities: [{ login: "user1", emailKeys: ["v1"], handleKeys: ["h1"] }],
    verifiedDomains: [],
    requests: 31,
    totalsChangedMidRun: false,
    durationMs: 9,
  };
  const sink = cloudSink(store, `${prefix}:sink`);
  for (const license of licenses) sink.onLicense(license);
  // Chunks already pushed expire even if the job dies before `finish`.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await redis.llen(`${prefix}:sink:chunks`)).toBeGreaterThan(0);
  expect(await redis.ttl(`${prefix}:sink:chunks`)).toBeGreaterThan(100);
  expect(sink.licenses()).toBe(3000);
  expect(await sink.finish({ ...cloud, usage: { ...cloud.usage, licenses: [] } })).toBe(3001);
  expect(await loadCloud(store, `${prefix}:sink`)).toEqual(cloud);

  expect(await saveCloud(store, `${prefix}:saved`, cloud)).toBe(3001);
  const stream = async (key: string) => {
    const records = [];
    for await (const record of store.records(key)) records.push(record);
    return records;
  };
  expect(await stream(`${prefix}:sink`)).toEqual(await stream(`${prefix}:saved`));
});

test("a discarded cloud sink rethrows and stores nothing more", async () => {
  const store = new RunStore(redis, { chunkBytes: 256 });
  const sink = cloudSink(store, `${prefix}:discarded`);
  for (let i = 0; i < 2000; i++) sink.onLicense(cloudLicense(i));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const stored = await redis.llen(`${prefix}:discarded:chunks`);
  expect(stored).toBeGreaterThan(0);
  const failure = new Error("collection failed");
  await expect(Promise.reject(failure).catch(sink.discard)).rejects.toBe(failure);
  for (let i = 2000; i < 4000; i++) sink.onLicense(cloudLicense(i));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await redis.llen(`${prefix}:discarded:chunks`)).toBe(stored);
  expect(await redis.exists(`${prefix}:discarded:meta`)).toBe(0);
});

test("a discarded server sink rethrows and stores nothing more, so a late chunk cannot land behind a retry's DEL", async () => {
  const store = new RunStore(redis, { chunkBytes: 256 });
  const key = `${prefix}:server-discarded`;
  const sink = serverSink(store, key);
  // The collection fails with accounts still queued for the compressor; the retry starts the key over.
  for (let i = 0; i < 40000; i++) sink.onAccount(account(i));
  sink.onAccountLines({ lines: `${JSON.stringify(account(40000))}\n`, count: 1, billable: 1 });
  const failure = new Error("collection failed");
  await expect(Promise.reject(failure).catch(sink.discard)).rejects.toBe(failure);
  await redis.del(`${key}:chunks`, `${key}:meta`);
  for (let i = 40001; i < 42000; i++) sink.onAccount(account(i));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await redis.llen(`${key}:chunks`)).toBe(0);
  expect(await redis.exists(`${key}:meta`)).toBe(0);
});

test("identities stored by their own job join the cloud collection they were read beside", async () => {
  const store = new RunStore(redis, { chunkBytes: 256 });
  const licenses = Array.from({ length: 20 }, (_, i) => cloudLicense(i));
  const licensesPart: CloudCollection = {
    usage: { seatsConsumed: 20, seatsPurchased: 25, verifiedEmailDomains: ["mail.corp.example"], licenses },
    syncStatus: [],
    identities: [],
    verifiedDomains: ["mail.corp.example"],
    requests: 2,
    totalsChangedMidRun: false,
    durationMs: 40,
  };
  expect(await saveCloud(store, `${prefix}:split:cloud`, licensesPart)).toBe(20);
  const identities = Array.from({ length: 2500 }, (_, i) => ({
    login: `user${i}`,
    emailKeys: [`v${i}`],
    handleKeys: [],
  }));
  const stored = await saveIdentities(store, `${prefix}:split:identities`, {
    identities,
    verifiedDomains: ["corp.example"],
    requests: 26,
    durationMs: 90,
  });
  expect(stored).toBe(2500);
  expect(await loadCloud(store, `${prefix}:split:cloud`, `${prefix}:split:identities`)).toEqual({
    ...licensesPart,
    identities,
    // Both parts' domains, once each, sorted; both parts' requests; the longer part's time.
    verifiedDomains: ["corp.example", "mail.corp.example"],
    requests: 28,
    durationMs: 90,
  });
  // A run added before the split has no identities key: its collection is read as it was stored.
  expect(await loadCloud(store, `${prefix}:split:cloud`)).toEqual(licensesPart);
});
