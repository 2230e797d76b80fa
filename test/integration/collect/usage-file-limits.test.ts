import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "@jest/globals";
import nock, { strictNock } from "../../support/nock.js";
import { readUsageFile } from "../../../src/collect/usage-file/usage-file.js";
import { usageFileLimits } from "../../../src/collect/usage-file/limits.js";
import { deploymentConfigSchema } from "../../../src/config/deployment.js";
import { InputError } from "../../../src/shared/errors.js";
import { createGhesClient } from "../../../src/github/ghes-client.js";
import { localUsageFiles } from "../../../src/pipeline/deps.js";
import { adminRepositoryUsageFiles } from "../../../src/pipeline/usage-file-opener.js";
import { KEY_ID } from "../handlers/support/app.js";
import { usageFileText } from "../handlers/support/usage-files.js";
import { captureLog } from "../../support/capture-log.js";

strictNock();

const HOST = "https://ghes-admin.corp.example";
const limitsOf = (limits: Record<string, number>) =>
  usageFileLimits(
    deploymentConfigSchema.parse({
      enterprise: "acme",
      cloud: { token: "t" },
      adminRepository: "acme/license-admin",
      limits,
    }),
  );
/** About 1.8 MB of genuine accounts: over a 1 MB unpacked limit, a few hundred KB gzip'd. */
const twoMegabytes = () => usageFileText("ghes-c.corp.example", { accounts: 10_000 });
const read = (opened: Promise<NodeJS.ReadableStream>, source: string) =>
  opened.then((input) => readUsageFile(input as never, { source, keyId: KEY_ID, onAccount: () => undefined }));

describe("usage-file limits when a run opens the file (worker: admin repository)", () => {
  const contents = (path: string) =>
    `/api/v3/repos/acme/license-admin/contents/${path.split("/").map(encodeURIComponent).join("%2F")}`;

  it("fails the instance with the limit and its setting when the gzip unpacks past limits.usageFileUnpackedMegabytes", async () => {
    const path = "license-usage/uploads/ghes-c.json.gz";
    const bytes = gzipSync(twoMegabytes());
    nock(HOST)
      .get((uri) => decodeURIComponent(uri).startsWith(decodeURIComponent(contents(path))))
      .reply(200, {
        type: "file",
        path,
        size: bytes.length,
        sha: "c".repeat(40),
        encoding: "base64",
        content: bytes.toString("base64"),
      });
    const open = adminRepositoryUsageFiles(
      createGhesClient({ url: HOST, token: "t", logger: captureLog().logger }),
      "acme",
      "license-admin",
      limitsOf({ usageFileUnpackedMegabytes: 1 }),
    );
    const error = await read(open(path, "a".repeat(40)), path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toContain(
      "unpacks to more than the 1 MB limit for gunzipped usage files. If the file is genuine, raise limits.usageFileUnpackedMegabytes",
    );
  });

  it("refuses a file over limits.usageFileMegabytes by its reported size, without fetching the blob", async () => {
    const path = "license-usage/uploads/ghes-b.json";
    nock(HOST)
      .get((uri) => decodeURIComponent(uri).startsWith(decodeURIComponent(contents(path))))
      .reply(200, { type: "file", path, size: 3 * 1024 * 1024, sha: "c".repeat(40), encoding: "none", content: "" });
    const open = adminRepositoryUsageFiles(
      createGhesClient({ url: HOST, token: "t", logger: captureLog().logger }),
      "acme",
      "license-admin",
      limitsOf({ usageFileMegabytes: 2 }),
    );
    await expect(open(path)).rejects.toThrow(
      "is 3.0 MB, over the 2 MB limit for usage files. If the file is genuine, raise limits.usageFileMegabytes",
    );
  });
});

describe("usage-file limits in the CLI (local files)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ls-usage-limits-"));

  it("refuses a local gzip that unpacks past the limit, and a local file over the stored limit", async () => {
    const gz = join(dir, "ghes-c.json.gz");
    writeFileSync(gz, gzipSync(twoMegabytes()));
    await expect(read(localUsageFiles(limitsOf({ usageFileUnpackedMegabytes: 1 }))(gz), gz)).rejects.toThrow(
      "limits.usageFileUnpackedMegabytes",
    );
    const plain = join(dir, "ghes-c.json");
    writeFileSync(plain, twoMegabytes());
    await expect(localUsageFiles(limitsOf({ usageFileMegabytes: 1 }))(plain)).rejects.toThrow(
      /is 1\.\d MB, over the 1 MB limit for usage files/,
    );
    // Under the limits the same files read whole.
    await expect(read(localUsageFiles(limitsOf({}))(gz), gz)).resolves.toMatchObject({
      collection: { accountCount: 10_000 },
    });
  });
});
