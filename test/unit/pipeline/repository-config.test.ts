import { Octokit } from "@octokit/rest";
import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { readRepositoryConfig } from "../../../src/pipeline/repository-config.js";
import { DEFAULT_REPOSITORY_CONFIG } from "../../../src/config/repository.js";

const API = "https://api.github.com";
const quiet = () => {};
// Octokit's request log would print the 404s these tests provoke.
const octokit = new Octokit({ baseUrl: API, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
const FILE = "/repos/acme/license-admin/contents/.github%2Flicense-sync.yml";
const location = { owner: "acme", repo: "license-admin" };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("readRepositoryConfig", () => {
  it("reads the file at the ref asked for", async () => {
    const content = Buffer.from("emails: hidden\n").toString("base64");
    nock(API).get(FILE).query({ ref: "abc" }).reply(200, { type: "file", sha: "s", size: 15, content });
    expect((await readRepositoryConfig(octokit, { ...location, ref: "abc" })).emails).toBe("hidden");
  });

  it("uses the defaults when the repository has no file", async () => {
    nock(API).get(FILE).reply(404, { message: "Not Found" });
    expect(await readRepositoryConfig(octokit, location)).toEqual(DEFAULT_REPOSITORY_CONFIG);
  });

  it("refuses a directory at the path, and a file over 1 MB by its reported size, unread", async () => {
    nock(API)
      .get(FILE)
      .reply(200, [{ type: "file", name: "x", path: ".github/license-sync.yml/x", sha: "x" }]);
    await expect(readRepositoryConfig(octokit, location)).rejects.toThrow("is not a file");
    nock(API).get(FILE).reply(200, { type: "file", sha: "big", size: 2_000_000, content: "", encoding: "none" });
    await expect(readRepositoryConfig(octokit, location)).rejects.toThrow("is larger than 1 MB");
  });
});
