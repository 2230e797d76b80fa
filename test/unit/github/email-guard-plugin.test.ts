import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { ContentsBody } from "../../../src/github/contents-body.js";
import { quietGhecClient } from "../../support/quiet-ghec-client.js";

const API = "https://api.github.com";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const client = quietGhecClient;

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

describe("emailGuardPlugin on bodies given whole (data)", () => {
  const contentsPut = (data: unknown, route = "PUT /repos/{owner}/{repo}/contents/{path}") =>
    client().request(
      route as "PUT /repos/{owner}/{repo}/contents/{path}",
      {
        owner: "acme",
        repo: "admin",
        path: "people.csv",
        data,
      } as never,
    );
  const recordPut = () => {
    const sent: string[] = [];
    nock(API)
      .put("/repos/acme/admin/contents/people.csv", (body: unknown) => sent.push(JSON.stringify(body)) > 0)
      .reply(200, {});
    return sent;
  };

  it("masks a ContentsBody that another function claimed to have masked (only the guard's own copies pass as they are)", async () => {
    const sent = recordPut();
    const body = new ContentsBody({ message: "by mona.lisa@corp.example" }, Buffer.from("lisa.mona@corp.example\n"));
    await contentsPut(body.guardedBy((text) => text));
    const { message, content } = JSON.parse(sent[0]!) as { message: string; content: string };
    expect(message).toBe("by m***@corp.example");
    expect(Buffer.from(content, "base64").toString("utf8")).toBe("l***@corp.example\n");
  });

  it("masks a JSON object or a text given as the body, the committed file's base64 included", async () => {
    const sent = recordPut();
    const file = Buffer.from("row,lisa.mona@corp.example\n").toString("base64");
    await contentsPut({ message: "by mona.lisa@corp.example", content: file });
    const sentText = recordPut();
    await contentsPut(JSON.stringify({ message: "for octo.cat@corp.example", content: "" }));
    const object = JSON.parse(sent[0]!) as { message: string; content: string };
    expect(object.message).toBe("by m***@corp.example");
    expect(Buffer.from(object.content, "base64").toString("utf8")).toBe("row,l***@corp.example\n");
    expect(sentText[0]).not.toContain("octo.cat@");
    expect(sentText[0]).toContain("o***@corp.example");
  });

  it("masks JSON given as text: a committed file's base64 content, an address written with escapes", async () => {
    const sent = recordPut();
    const file = Buffer.from("row,lisa.mona@corp.example\n").toString("base64");
    await contentsPut(JSON.stringify({ message: "by mona.lisa\u0040corp.example", content: file }));
    const { message, content } = JSON.parse(sent[0]!) as { message: string; content: string };
    expect(message).toBe("by m***@corp.example");
    expect(Buffer.from(content, "base64").toString("utf8")).toBe("row,l***@corp.example\n");
  });

  it("masks an object as it would be sent (toJSON), and a ContentsBody subclass by the class's own masking", async () => {
    const sent = recordPut();
    await contentsPut({ message: "m", toJSON: () => ({ message: "by mona.lisa@corp.example" }) });
    class Lax extends ContentsBody {
      override guardedBy(): ContentsBody {
        return this;
      }
    }
    const sentLax = recordPut();
    await contentsPut(new Lax({ message: "by lisa.mona@corp.example" }, Buffer.from("x\n")));
    expect(JSON.parse(sent[0]!)).toEqual({ message: "by m***@corp.example" });
    expect((JSON.parse(sentLax[0]!) as { message: string }).message).toBe("by l***@corp.example");
  });

  it("masks a GraphQL mutation sent to a URL with a query", async () => {
    let sent = "";
    nock(API)
      .post("/graphql")
      .query({ x: "1" })
      .reply(200, (_uri: string, body: unknown) => ((sent = JSON.stringify(body)), { data: { addComment: null } }));
    await client().request("POST /graphql?x=1", {
      query: 'mutation { addComment(input: { body: "mona.lisa@corp.example" }) { clientMutationId } }',
    });
    expect(sent).toContain("m***@corp.example");
    expect(sent).not.toContain("mona.lisa@");
  });

  it("masks a committed file's content when the route is written in lower case", async () => {
    const sent = recordPut();
    await client().request("put /repos/{owner}/{repo}/contents/{path}" as "PUT /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "admin",
      path: "people.csv",
      message: "m",
      content: Buffer.from("lisa.mona@corp.example\n").toString("base64"),
    });
    const { content } = JSON.parse(sent[0]!) as { content: string };
    expect(Buffer.from(content, "base64").toString("utf8")).toBe("l***@corp.example\n");
  });

  it("refuses a body it cannot read (bytes), and nothing is sent", async () => {
    await expect(contentsPut(Buffer.from('{"message":"mona.lisa@corp.example"}'))).rejects.toThrow(
      /email guard cannot read this request's body/,
    );
  });
});
