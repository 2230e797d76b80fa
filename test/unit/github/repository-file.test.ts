import { Octokit } from "@octokit/rest";
import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { repositoryEntry } from "../../../src/github/repository-file.js";
import { httpStatusOf } from "../../../src/github/http-errors.js";

const API = "https://api.github.com";
const quiet = () => {};
// Octokit's request log would print the 404s these tests provoke.
const octokit = new Octokit({ baseUrl: API, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
const at = { owner: "acme", repo: "license-admin", path: "license-usage/uploads/ghes-b.json" };
const FILE = "/repos/acme/license-admin/contents/license-usage%2Fuploads%2Fghes-b.json";
const base64 = (text: string) => Buffer.from(text).toString("base64");

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("repositoryEntry", () => {
  it("reads a file the contents API inlines, at the ref asked for, without a second request", async () => {
    nock(API)
      .get(FILE)
      .query({ ref: "abc123" })
      .reply(200, { type: "file", sha: "s1", size: 5, content: base64("hello"), encoding: "base64" });
    const entry = await repositoryEntry(octokit, { ...at, ref: "abc123" });
    expect(entry).toMatchObject({ type: "file", sha: "s1", size: 5 });
    expect(entry.type === "file" && (await entry.bytes()).toString()).toBe("hello");
  });

  it("fetches a file over 1 MB through the git blob API, only when its bytes are asked for", async () => {
    nock(API).get(FILE).reply(200, { type: "file", sha: "big", size: 2_000_000, content: "", encoding: "none" });
    const entry = await repositoryEntry(octokit, at);
    // Nothing fetched yet: a caller can refuse by size here.
    expect(entry).toMatchObject({ type: "file", size: 2_000_000 });
    nock(API)
      .get("/repos/acme/license-admin/git/blobs/big")
      .reply(200, { sha: "big", size: 2_000_000, content: base64("large"), encoding: "base64" });
    expect(entry.type === "file" && (await entry.bytes()).toString()).toBe("large");
  });

  it("reads an empty file as no bytes, without asking for its blob", async () => {
    nock(API).get(FILE).reply(200, { type: "file", sha: "e", size: 0, content: "", encoding: "base64" });
    const entry = await repositoryEntry(octokit, at);
    expect(entry.type === "file" && (await entry.bytes()).length).toBe(0);
  });

  it("lists a directory, and tells a symlink or submodule apart from a file", async () => {
    nock(API)
      .get("/repos/acme/license-admin/contents/license-usage")
      .reply(200, [{ type: "file", name: "a.json", path: "license-usage/a.json", sha: "a", size: 1, extra: "x" }]);
    expect(await repositoryEntry(octokit, { ...at, path: "license-usage" })).toEqual({
      type: "dir",
      entries: [{ type: "file", name: "a.json", path: "license-usage/a.json", sha: "a" }],
    });
    nock(API).get(FILE).reply(200, { type: "submodule", sha: "m", size: 0, submodule_git_url: "git://x" });
    expect(await repositoryEntry(octokit, at)).toEqual({ type: "other" });
  });

  it("throws Octokit's error as it comes, so each caller decides what absence means", async () => {
    nock(API).get(FILE).reply(404, { message: "Not Found" });
    const error = await repositoryEntry(octokit, at).catch((caught: unknown) => caught);
    expect(httpStatusOf(error)).toBe(404);
  });
});
