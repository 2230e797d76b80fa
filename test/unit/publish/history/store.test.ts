import { describe, expect, it } from "@jest/globals";
import nock, { strictNock } from "../../../support/nock.js";
import { commitFile } from "../../../../src/publish/history/store.js";
import { Plan, type PublishContext } from "../../../../src/publish/plan.js";
import { captureLog } from "../../../support/capture-log.js";
import { quietGhecClient } from "../../../support/quiet-ghec-client.js";

const API = "https://api.github.com";
const FILE = "/repos/acme/admin/contents/people.csv";
strictNock();

const context = (): PublishContext => ({
  octokit: quietGhecClient(),
  owner: "acme",
  repo: "admin",
  dryRun: false,
  logger: captureLog().logger,
  runId: "run-1",
  plan: new Plan(),
});
const stored = (text: string) => ({
  type: "file",
  name: "people.csv",
  path: "people.csv",
  sha: "3d21ec53a331a6f037a91c368710b99387d012c1",
  size: Buffer.byteLength(text),
  encoding: "base64",
  content: Buffer.from(text).toString("base64"),
});

describe("commitFile", () => {
  it("finds a file it committed before up to date, also when the email guard had masked it (a retried publish)", async () => {
    nock(API).get(FILE).reply(200, stored("email\nm***@corp.example\n"));
    const ctx = context();
    await expect(commitFile(ctx, "people.csv", "email\nmona.lisa@corp.example\n", "usage")).resolves.toBe(false);
    expect(ctx.plan.lines).toEqual(["people.csv is up to date"]);
  });

  it("commits a file that differs, with the sha it replaces, and retries once with the fresh sha on a conflict", async () => {
    const bodies: Array<Record<string, string>> = [];
    const record = (body: Record<string, string>) => bodies.push(body) > 0;
    nock(API)
      .get(FILE)
      .reply(200, stored("email\n"))
      .put(FILE, record)
      .reply(409, { message: "people.csv does not match" })
      .get(FILE)
      .reply(200, { ...stored("email\nother\n"), sha: "9c1d5e0b7a4f3e2d1c0b9a8f7e6d5c4b3a291807" })
      .put(FILE, record)
      .reply(200, { content: {}, commit: { sha: "5e6f" } });
    const csv = "email\nm***@corp.example\n";
    await expect(commitFile(context(), "people.csv", csv, "usage 2026-W49")).resolves.toBe(true);
    const content = Buffer.from(csv).toString("base64");
    expect(bodies).toEqual([
      { message: "usage 2026-W49", sha: "3d21ec53a331a6f037a91c368710b99387d012c1", content },
      { message: "usage 2026-W49", sha: "9c1d5e0b7a4f3e2d1c0b9a8f7e6d5c4b3a291807", content },
    ]);
  });
});
