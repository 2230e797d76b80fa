import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
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
