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

describe("emailGuardPlugin on every parameter sent as the body", () => {
  it("masks a label's name and description, a committer's email and nested lists", async () => {
    const sent: string[] = [];
    nock(API)
      .post("/repos/acme/admin/labels", (body: unknown) => sent.push(JSON.stringify(body)) > 0)
      .reply(201, {})
      .put("/repos/acme/admin/contents/people.csv", (body: unknown) => sent.push(JSON.stringify(body)) > 0)
      .reply(200, { commit: { sha: "c" } })
      .post("/repos/acme/admin/issues", (body: unknown) => sent.push(JSON.stringify(body)) > 0)
      .reply(201, {});
    await client().request("POST /repos/{owner}/{repo}/labels", {
      owner: "acme",
      repo: "admin",
      name: "mona.lisa@corp.example",
      description: "for lisa.mona@corp.example",
    });
    await client().request("PUT /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "admin",
      path: "people.csv",
      message: "m",
      content: "",
      committer: { name: "Mona", email: "octo.cat@corp.example" },
    });
    await client().request("POST /repos/{owner}/{repo}/issues", {
      owner: "acme",
      repo: "admin",
      title: "t",
      labels: ["cat.octo@corp.example"],
      assignees: [],
    });
    expect(JSON.parse(sent[0]!)).toEqual({ name: "m***@corp.example", description: "for l***@corp.example" });
    expect((JSON.parse(sent[1]!) as { committer: unknown }).committer).toEqual({
      name: "Mona",
      email: "o***@corp.example",
    });
    expect((JSON.parse(sent[2]!) as { labels: unknown }).labels).toEqual(["c***@corp.example"]);
  });

  it("masks a Git blob's content, as text and as base64", async () => {
    const sent: string[] = [];
    nock(API)
      .post("/repos/acme/admin/git/blobs", (body: unknown) => sent.push(JSON.stringify(body)) > 0)
      .times(2)
      .reply(201, { sha: "b" });
    await client().request("POST /repos/{owner}/{repo}/git/blobs", {
      owner: "acme",
      repo: "admin",
      content: "row,mona.lisa@corp.example\n",
      encoding: "utf-8",
    });
    await client().request("POST /repos/{owner}/{repo}/git/blobs", {
      owner: "acme",
      repo: "admin",
      content: Buffer.from("row,lisa.mona@corp.example\n").toString("base64"),
      encoding: "base64",
    });
    expect((JSON.parse(sent[0]!) as { content: string }).content).toBe("row,m***@corp.example\n");
    const base64 = (JSON.parse(sent[1]!) as { content: string }).content;
    expect(Buffer.from(base64, "base64").toString("utf8")).toBe("row,l***@corp.example\n");
  });

  it("leaves the URL's own parameters alone (a file's path is where it is written) and sends a date as its text", async () => {
    let sent = "";
    nock(API)
      .put(
        "/repos/acme/admin/contents/by-mona%40corp.example.csv",
        (body: unknown) => ((sent = JSON.stringify(body)), true),
      )
      .reply(200, { commit: { sha: "c" } });
    await client().request("PUT /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "admin",
      path: "by-mona@corp.example.csv",
      message: "m",
      content: "",
      committer: { name: "n", email: "bot@example.com", date: new Date(Date.UTC(2026, 0, 2)) } as never,
    });
    expect((JSON.parse(sent) as { committer: { date: string } }).committer.date).toBe("2026-01-02T00:00:00.000Z");
  });
});

describe("emailGuardPlugin on routes as Octokit reads them", () => {
  const record = (path: string | RegExp, method = "POST") => {
    const seen: Array<{ path: string; body: string }> = [];
    nock(API)
      .intercept(path, method, (body: unknown) => seen.push({ path: "", body: JSON.stringify(body) }) > 0)
      .query(true)
      .reply(function (uri) {
        seen[seen.length - 1]!.path = uri;
        return [201, { commit: { sha: "c" }, sha: "b" }];
      });
    return seen;
  };

  it("masks a parameter Octokit sends in the body although the template names it ({?note:3}), refuses one it also puts in the query ({?a*,b})", async () => {
    const prefix = record("/repos/acme/admin/issues");
    await client().request("POST /repos/{owner}/{repo}/issues{?note:3}", {
      owner: "acme",
      repo: "admin",
      title: "t",
      note: "mona@corp.example",
    } as never);
    await expect(
      client().request("POST /repos/{owner}/{repo}/issues{?a*,b}", {
        owner: "acme",
        repo: "admin",
        title: "t",
        a: "lisa@corp.example",
      } as never),
    ).rejects.toThrow(/query string/);
    expect(JSON.parse(prefix[0]!.body)).toEqual({ title: "t", note: "m***@corp.example" });
  });

  it("leaves a `:name` route's path alone: the file written is the one named", async () => {
    const seen = record(/contents/, "PUT");
    await client().request(
      "PUT /repos/:owner/:repo/contents/:path" as never,
      {
        owner: "acme",
        repo: "admin",
        path: "by-mona@corp.example.csv",
        message: "by lisa@corp.example",
        content: "",
      } as never,
    );
    expect(seen[0]!.path).toBe("/repos/acme/admin/contents/by-mona%40corp.example.csv");
    expect(JSON.parse(seen[0]!.body)).toEqual({ message: "by l***@corp.example", content: "" });
  });

  it("reads a blob route written with a trailing slash or a query template as a blob", async () => {
    // Octokit sends the first to /git/blobs as well: a trailing slash is dropped.
    const slash = record("/repos/acme/admin/git/blobs");
    const query = record("/repos/acme/admin/git/blobs");
    const content = Buffer.from("mona@corp.example").toString("base64");
    await client().request(
      "POST /repos/{owner}/{repo}/git/blobs/" as never,
      {
        owner: "acme",
        repo: "admin",
        content,
        encoding: "base64",
      } as never,
    );
    await client().request(
      "POST /repos/{owner}/{repo}/git/blobs{?x}" as never,
      {
        owner: "acme",
        repo: "admin",
        content,
        encoding: "base64",
      } as never,
    );
    const files = [slash[0]!, query[0]!].map((seen) =>
      Buffer.from((JSON.parse(seen.body) as { content: string }).content, "base64").toString("utf8"),
    );
    expect(files).toEqual(["m***@corp.example", "m***@corp.example"]);
  });

  it("changes only an address's bytes in a file that is not UTF-8", async () => {
    const seen = record("/repos/acme/admin/git/blobs");
    const head = Buffer.from([0x89, 0x50, 0xff, 0xfe, 0x00, 0x80]);
    const tail = Buffer.from([0xc3, 0x28, 0xff]);
    const file = Buffer.concat([head, Buffer.from(" by mona@corp.example "), tail]);
    await client().request("POST /repos/{owner}/{repo}/git/blobs", {
      owner: "acme",
      repo: "admin",
      content: file.toString("base64"),
      encoding: "base64",
    });
    const sent = Buffer.from((JSON.parse(seen[0]!.body) as { content: string }).content, "base64");
    expect(sent).toEqual(Buffer.concat([head, Buffer.from(" by m***@corp.example "), tail]));
  });

  it("sends a big integer nested in a parameter as Octokit does (digits), masking the rest", async () => {
    let raw = "";
    nock(API)
      .post("/repos/acme/admin/issues", (body: unknown) => ((raw = JSON.stringify(body)), true))
      .reply(201, {});
    await client().request("POST /repos/{owner}/{repo}/issues", {
      owner: "acme",
      repo: "admin",
      title: "mona@corp.example",
      extra: { id: 2n ** 64n, list: [undefined, "lisa@corp.example"] },
    } as never);
    expect(raw).not.toMatch(/mona@|lisa@/);
    // nock reads the body with JSON.parse, which rounds the digits it received to a double.
    expect((JSON.parse(raw) as { extra: { id: unknown } }).extra.id).toBe(2 ** 64);
    expect((JSON.parse(raw) as { extra: { list: unknown[] } }).extra.list).toEqual([null, "l***@corp.example"]);
  });
});

describe("emailGuardPlugin on a write's query string", () => {
  it("refuses a write whose query carries an address, and nothing is sent", async () => {
    await expect(
      client().request("POST /repos/{owner}/{repo}/releases/{release_id}/assets{?name,label}", {
        owner: "acme",
        repo: "admin",
        release_id: 1,
        name: "a.txt",
        label: "for mona@corp.example",
        data: "x",
        headers: { "content-type": "text/plain" },
      } as never),
    ).rejects.toThrow(/email address in this write request's query string/);
  });
});
