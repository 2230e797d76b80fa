import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { ContentsBody } from "../../../src/github/contents-body.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { captureLog } from "../../support/capture-log.js";

const API = "https://api.github.com";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const client = () =>
  createGhecClient({ token: "ghp_Token0123456789", logger: captureLog().logger, serverErrorRetries: 0 });

describe("emailGuardPlugin on GraphQL", () => {
  it("masks emails in a mutation's variables, at any depth, before the request leaves", async () => {
    let sent = "";
    nock(API)
      .post("/graphql", (body: unknown) => ((sent = JSON.stringify(body)), true))
      .reply(200, { data: { addComment: { id: "C_1" } } });
    await client().graphql("mutation ($input: AddCommentInput!) { addComment(input: $input) { id } }", {
      input: { subjectId: "I_1", body: "ask mona@corp.example", notes: ["and lisa@corp.example"] },
    });
    expect(sent).not.toMatch(/mona@corp|lisa@corp/);
    expect(sent).toContain("@corp.example");
    expect(sent).toContain("I_1");
  });

  it("masks an email written into the query text itself", async () => {
    let sent = "";
    nock(API)
      .post("/graphql", (body: unknown) => ((sent = JSON.stringify(body)), true))
      .reply(200, { data: { addComment: { id: "C_1" } } });
    await client().graphql('mutation { addComment(input: { subjectId: "I_1", body: "mona@corp.example" }) { id } }');
    expect(sent).not.toContain("mona@corp.example");
    expect(sent).toContain("addComment");
  });
});

describe("emailGuardPlugin on a streamed file (ContentsBody)", () => {
  it("sends the masked file and message, with the Content-Length of what it sends", async () => {
    let received = "";
    let declared = "";
    nock(API)
      .put("/repos/acme/admin/contents/people.csv", (body: unknown) => ((received = JSON.stringify(body)), true))
      .reply(function () {
        declared = String(this.req.headers["content-length"]);
        return [200, {}];
      });
    const body = new ContentsBody(
      { message: "by mona.lisa.octocat@corp.example" },
      Buffer.from("email\nlisa.octocat.mona@corp.example\n"),
    );
    await client().request("PUT /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "admin",
      path: "people.csv",
      data: body,
      headers: { "content-length": String(body.length) },
    } as never);
    const sent = JSON.parse(received) as { message: string; content: string };
    expect(sent.message).toBe("by m***@corp.example");
    expect(Buffer.from(sent.content, "base64").toString("utf8")).toBe("email\nl***@corp.example\n");
    expect(Number(declared)).toBe(Buffer.byteLength(received));
    expect(Number(declared)).toBeLessThan(body.length);
  });
});
