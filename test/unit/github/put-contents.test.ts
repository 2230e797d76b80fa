import { describe, expect, it } from "@jest/globals";
import nock, { strictNock } from "../../support/nock.js";
import { ContentsBody } from "../../../src/github/contents-body.js";
import { putContents } from "../../../src/github/put-contents.js";
import { quietGhecClient } from "../../support/quiet-ghec-client.js";

const API = "https://api.github.com";
const TARGET = { owner: "acme", repo: "admin", path: "people.csv" };

strictNock();
const client = quietGhecClient;
/** GitHub's answer to a commit, as much of it as is read: the commit made. */
const COMMITTED = { content: { sha: "b" }, commit: { sha: "c" } };
/** A file of more than one slice, so the body sent again is the whole stream, not its first piece. */
const FILE = Buffer.from(`id,hosts\n${"1,ghes-a.corp.example\n".repeat(60_000)}`);

describe("putContents", () => {
  it.each([307, 308])(
    "sends the whole body again to where a %i on the same host points (a renamed repository)",
    async (status) => {
      const bodies: string[] = [];
      const record = (body: unknown) => bodies.push(JSON.stringify(body)) > 0;
      nock(API)
        .put("/repos/acme/admin/contents/people.csv", record)
        .reply(status, "", { location: `${API}/repositories/42/contents/people.csv` })
        .put("/repositories/42/contents/people.csv", record)
        .reply(201, COMMITTED);
      await putContents(client(), TARGET, new ContentsBody({ message: "usage 2026-W49" }, FILE));
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toBe(bodies[0]);
      const sent = JSON.parse(bodies[1]!) as { message: string; content: string };
      expect(sent.message).toBe("usage 2026-W49");
      expect(Buffer.from(sent.content, "base64").equals(FILE)).toBe(true);
    },
  );

  it("refuses a redirect to another host, and sends nothing there", async () => {
    nock(API)
      .put("/repos/acme/admin/contents/people.csv")
      .reply(307, "", { location: "https://elsewhere.example/repositories/42/contents/people.csv" });
    await expect(putContents(client(), TARGET, new ContentsBody({ message: "m" }, FILE))).rejects.toThrow(
      /redirected the commit of people\.csv to acme\/admin to another host \(307\).*configure its new name/,
    );
  });

  it("refuses a redirect without an address, and one that goes on redirecting", async () => {
    nock(API).put("/repos/acme/admin/contents/people.csv").reply(307, "");
    await expect(putContents(client(), TARGET, new ContentsBody({ message: "m" }, FILE))).rejects.toThrow(
      /without an address \(307\)/,
    );
    const moved = (id: number) => `/repositories/${id}/contents/people.csv`;
    const scope = nock(API)
      .put("/repos/acme/admin/contents/people.csv")
      .reply(307, "", { location: moved(1) });
    for (const id of [1, 2, 3]) scope.put(moved(id)).reply(307, "", { location: moved(id + 1) });
    await expect(putContents(client(), TARGET, new ContentsBody({ message: "m" }, FILE))).rejects.toThrow(
      /more than 3 times \(307\)/,
    );
  });

  it("refuses a redirect to another repository's file or another file, and sends nothing there", async () => {
    for (const location of [
      "/repos/someone/else/contents/people.csv",
      "/repositories/42/contents/other.csv",
      "/login?return=x",
    ]) {
      nock(API).put("/repos/acme/admin/contents/people.csv").reply(307, "", { location });
      await expect(putContents(client(), TARGET, new ContentsBody({ message: "m" }, FILE))).rejects.toThrow(
        /to another path than the same file's \(307\)/,
      );
    }
  });

  it("refuses an answer that is not a commit: a 202, a 204, a proxy's page", async () => {
    nock(API)
      .put("/repos/acme/admin/contents/people.csv")
      .reply(202, {})
      .put("/repos/acme/admin/contents/people.csv")
      .reply(204)
      .put("/repos/acme/admin/contents/people.csv")
      .reply(200, "<html>Sign in</html>", { "content-type": "text/html" });
    for (const status of [202, 204, 200])
      await expect(putContents(client(), TARGET, new ContentsBody({ message: "m" }, FILE))).rejects.toThrow(
        `with ${status} but no commit: nothing was committed`,
      );
  });

  it("refuses any other redirect: nothing was committed", async () => {
    nock(API).put("/repos/acme/admin/contents/people.csv").reply(301, "", { location: "/repositories/42" });
    await expect(putContents(client(), TARGET, new ContentsBody({ message: "m" }, FILE))).rejects.toThrow(
      /answered the commit of people\.csv to acme\/admin with 301: nothing was committed/,
    );
  });
});

describe("putContents on GHES", () => {
  it("follows a move under the instance's API prefix (/api/v3)", async () => {
    const ghes = "https://ghes.corp.example";
    nock(ghes)
      .put("/api/v3/repos/acme/admin/contents/people.csv")
      .reply(307, "", { location: `${ghes}/api/v3/repositories/7/contents/people.csv` })
      .put("/api/v3/repositories/7/contents/people.csv")
      .reply(200, COMMITTED);
    const octokit = quietGhecClient();
    const onGhes = { request: octokit.request.defaults({ baseUrl: `${ghes}/api/v3` }) };
    await putContents(onGhes, TARGET, new ContentsBody({ message: "m" }, Buffer.from("a\n")));
  });
});
