import { Readable } from "node:stream";
import { parseUsageFile, readUsageFile, usageFileChunks } from "../../../../src/collect/usage-file/usage-file.js";
import { streamJson } from "../../../../src/collect/readers/json-stream.js";
import { usageFileSchema } from "../../../../src/collect/usage-file/schema.js";
import { account, protector } from "../../../support/builders.js";

const meta = {
  hostname: "ghes-b.corp.example",
  version: "3.19.1",
  generatedAt: "2026-11-23T12:00:00.000Z",
  license: null,
  keyId: protector.keyId,
};
const accounts = [
  account("ghes-b.corp.example", 1, "mona", "Mona@Corp.Example", { dormant: true }),
  account("ghes-b.corp.example", 2, "ghost", ""),
  account("ghes-b.corp.example", 3, "sus", "s@corp.example", { suspended: true }),
];
const text = [...usageFileChunks(meta, accounts)].join("");
const read = (content: string, options: Partial<Parameters<typeof readUsageFile>[1]> = {}) =>
  readUsageFile(Readable.from([content]), { source: "ghes-b.json", keyId: protector.keyId, ...options });

describe("usage file", () => {
  it("round-trips accounts exactly, and is valid against its own schema", async () => {
    const { collection, header } = await read(text);
    expect(collection.accounts).toEqual(accounts);
    expect(collection).toMatchObject({
      hostname: "ghes-b.corp.example",
      accountCount: 3,
      billableAccounts: 1,
      collectedAt: meta.generatedAt,
    });
    expect(header.server.version).toBe("3.19.1");
    expect(usageFileSchema.safeParse(JSON.parse(text)).success).toBe(true);
  });
  it("reads an instance without accounts, and a license over-consumed (seatsAvailable null), as valid", async () => {
    const license = {
      seats: 10,
      seatsUsed: 12,
      seatsAvailable: null,
      kind: "standard",
      daysUntilExpiration: null,
      expiresAt: null,
    };
    const empty = [...usageFileChunks({ ...meta, license }, [])].join("");
    const { collection } = await read(empty);
    expect(collection).toMatchObject({
      accountCount: 0,
      billableAccounts: 0,
      accounts: [],
      license,
      seatsUsedDifference: -12,
    });
  });
  it("holds no clear email", () => {
    expect(text.toLowerCase()).not.toContain("mona@corp.example");
    expect(text).toContain("m***@corp.example");
  });
  it.each([
    [
      "another secret",
      (t: string) => t.replace(protector.keyId, "otherkey0000"),
      /hashing\.keyId: the emails were hashed with a different LICENSE_SYNC_SECRET/,
    ],
    [
      "a truncated account list",
      (t: string) => t.replace('"accountCount": 3', '"accountCount": 4'),
      /accounts: holds 3 accounts but accountCount says 4/,
    ],
    [
      "a bad hash",
      (t: string) => t.replace(/"hash":"[^"]+"/, '"hash":"x"'),
      /accounts\[0\]\.email\.hash: expected a 22-character base64url hash/,
    ],
    [
      "a clear email slipped in",
      (t: string) => t.replace(/"masked":"[^"]+"/, '"masked":"mona@corp.example"'),
      /accounts\[0\]\.email\.masked: expected a masked email/,
    ],
    [
      "an unknown format",
      (t: string) => t.replace("license-sync/usage-file", "other"),
      /format: expected "license-sync\/usage-file"/,
    ],
    ["a newer version", (t: string) => t.replace('"version": 1', '"version": 2'), /version: expected 1/],
    [
      "broken JSON right after an email",
      (t: string) => t.replace('"version": 1', '"version": 1 "mona@corp.example"'),
      /not valid JSON \(a token out of place/,
    ],
    [
      "an email as an unknown key of an account",
      (t: string) => t.replace('"suspended":false', '"mona@corp.example":1,"suspended":false'),
      /accounts\[0\]: has a key this format does not define/,
    ],
    [
      "a hostname that is not text",
      (t: string) => t.replace('"hostname": "ghes-b.corp.example"', '"hostname": 7'),
      /server\.hostname: Invalid input: expected string/,
    ],
  ])("rejects %s, naming the field, never quoting a value", async (_name, mutate, message) => {
    const error = await read(mutate(text)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
    for (const value of ["otherkey0000", "mona@corp.example", '"x"', "ghes-b.corp.example"])
      expect(error!.message).not.toContain(value);
  });
  it("never quotes the JSON parser's view of a broken token, whatever the reader", async () => {
    const error = await streamJson(Readable.from(['{"a": 1 "mona@corp.example"}']), "f.json", {
      paths: ["$.a"],
      onValue: () => undefined,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toMatchObject({
      name: "InputError",
      exitCode: 2,
      message: expect.stringMatching(/^f\.json: not valid JSON/),
    });
    for (const part of ["mona", "corp", "@"]) expect(error!.message).not.toContain(part);
  });
  it("rejects a file uploaded for another instance", async () => {
    await expect(
      parseUsageFile(text, "license-usage/uploads/ghes-c.json", protector.keyId, "ghes-c.corp.example"),
    ).rejects.toThrow(
      /server\.hostname: is another instance than ghes-c\.corp\.example, the one this path is configured for\. Upload/,
    );
    await expect(parseUsageFile(text, "x", protector.keyId, "ghes-b.corp.example")).resolves.toMatchObject({
      accountCount: 3,
    });
  });
});
