import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { readConsumedLicenses } from "../../../../src/collect/readers/consumed-licenses.js";
import { readAllUsersCsv } from "../../../../src/collect/readers/ghes-csv.js";
import { reconcile } from "../../../../src/reconcile/reconcile.js";
import type { CloudUsage, ServerAccount, Totals } from "../../../../src/shared/report.js";
import { Rng } from "../../../sim/prng.js";
import { protector } from "../../../support/builders.js";

// The corpus of fixtures/consumed-licenses (README.md there): one list of 102 people saved every
// way admins save it. Every form must give the totals of the clean single object.
const corpus = (name: string) => new URL(`../../../../fixtures/consumed-licenses/${name}`, import.meta.url);
const HOST = "ghes-a.example";

let accounts: ServerAccount[];
beforeAll(async () => {
  accounts = [];
  const file = corpus("ghes-a.all_users.csv");
  for await (const account of readAllUsersCsv(createReadStream(file), {
    hostname: HOST,
    source: "ghes-a.all_users.csv",
    protector,
  }))
    accounts.push(account);
});

const read = (name: string, chunks?: Buffer[]) =>
  readConsumedLicenses(chunks ? Readable.from(chunks) : createReadStream(corpus(name)), { source: name, protector });
const totalsOf = (cloud: CloudUsage): Totals =>
  reconcile({ collectedHosts: [HOST], serverAccounts: accounts, cloud }).totals;

const SAME_AS_CLEAN = [
  "pages-back-to-back.json",
  "pages-ndjson.json",
  "array-of-pages.json",
  "page-1-ends-at-byte-65536.json",
  "non-ascii-across-chunk.json",
  "duplicated-row.json",
  "ghe-com-keys.json",
  "visual-studio-row.json",
  "numeric-name-id.json",
  "live-values.json",
];
/** Forms without totals: same people, but purchased seats unknown and completeness unchecked. */
const WITHOUT_TOTALS = ["array-of-rows.json", "billing-snake-case.csv", "billing-humanized.csv", "billing-ghe-com.csv"];
const ALL = ["single-object.json", ...SAME_AS_CLEAN, ...WITHOUT_TOTALS, "first-page-only.json"];

describe("consumed-licenses corpus", () => {
  let clean: Totals;
  beforeAll(async () => {
    clean = totalsOf(await read("single-object.json"));
  });

  it("the clean single object counts every person once, whole", () => {
    expect(clean).toMatchObject({
      seatsConsumedReported: 102,
      seatsPurchased: 110,
      cloudRowsRead: 102,
      partial: false,
      completenessChecked: true,
    });
    // 10 server-only rows: all on the collected host, so replaced by fresh server data; the
    // Visual Studio row (on the same host) is a subscriber and is kept.
    expect(clean).toMatchObject({ replacedCloudRows: 10, cloudUsers: 92 });
    expect(clean.matchedBy.visualStudioEmail).toBe(1);
  });

  it.each(SAME_AS_CLEAN)("%s gives the totals of the single object", async (name) => {
    expect(totalsOf(await read(name))).toEqual(clean);
  });

  it.each(WITHOUT_TOTALS)(
    "%s gives the same people, with purchased seats unknown and completeness unchecked",
    async (name) => {
      const cloud = await read(name);
      expect(cloud.completeness).toBe("unchecked");
      expect(totalsOf(cloud)).toEqual({ ...clean, seatsPurchased: null, completenessChecked: false });
    },
  );

  it("drops the repeated row of shifted pages", async () => {
    const cloud = await read("duplicated-row.json");
    expect(cloud).toMatchObject({ duplicates: 1, completeness: "checked" });
    expect(cloud.licenses).toHaveLength(102);
  });

  it("marks a list with only its first page partial: 30 of 102 rows", async () => {
    const cloud = await read("first-page-only.json");
    expect(cloud).toMatchObject({ completeness: "partial", seatsConsumed: 102 });
    expect(totalsOf(cloud)).toMatchObject({ partial: true, cloudRowsRead: 30, seatsConsumedReported: 102 });
  });

  it("page 1 really ends at byte 65,536 and the é really straddles it", () => {
    const padded = readFileSync(corpus("page-1-ends-at-byte-65536.json"));
    expect(padded.subarray(65535, 65537).toString("latin1")).toBe("}{");
    const jose = readFileSync(corpus("non-ascii-across-chunk.json"));
    expect([jose[65535], jose[65536]]).toEqual([0xc3, 0xa9]);
  });

  describe("read in chunks cut anywhere", () => {
    const cut = (bytes: Buffer, offsets: number[]) => {
      const sorted = [...new Set(offsets)].sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let from = 0;
      for (const at of [...sorted, bytes.length]) {
        chunks.push(bytes.subarray(from, at));
        from = at;
      }
      return chunks;
    };
    it.each(ALL)("%s: every chunk size and random cuts give identical results", async (name) => {
      const bytes = readFileSync(corpus(name));
      const whole = await read(name, [bytes]);
      const rng = new Rng(bytes.length);
      const splits: Buffer[][] = [1, 2, 3, 5, 64, 4096, 65536].map((size) =>
        cut(
          bytes,
          Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size),
        ),
      );
      for (let n = 0; n < 10; n++)
        splits.push(
          cut(
            bytes,
            Array.from({ length: 1 + rng.int(12) }, () => rng.int(bytes.length)),
          ),
        );
      for (const chunks of splits) expect(await read(name, chunks)).toEqual(whole);
    });
    it("cuts at every byte offset around the 65,536 boundary and inside every multi-byte character", async () => {
      for (const name of ["non-ascii-across-chunk.json", "page-1-ends-at-byte-65536.json"]) {
        const bytes = readFileSync(corpus(name));
        const whole = await read(name, [bytes]);
        const offsets = [...Array.from({ length: 64 }, (_, i) => 65504 + i)];
        for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) offsets.push(i, i + 1);
        for (const at of offsets) expect(await read(name, cut(bytes, [at]))).toEqual(whole);
      }
    });
  });
});
