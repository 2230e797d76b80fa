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
  it("masks a label's name and description, and nested lists", async () => {
    const sent: string[] = [];
    nock(API)
      .post("/repos/acme/admin/labels", (body: unknown) => sent.push(JSON.stringify(body)) > 0)
      .reply(201, {})
      .post("/repos/acme/admin/issues", (body: unknown) => sent.push(JSON.stringify(body)) > 0)
      .reply(201, {});
    await client().request("POST /repos/{owner}/{repo}/labels", {
      owner: "acme",
      repo: "admin",
      name: "mona.lisa@corp.example",
      description: "for lisa.mona@corp.example",
    });
    await client().request("POST /repos/{owner}/{repo}/issues", {
      owner: "acme",
      repo: "admin",
      title: "t",
      labels: ["cat.octo@corp.example"],
      assignees: [],
    });
    expect(JSON.parse(sent[0]!)).toEqual({ name: "m***@corp.example", description: "for l***@corp.example" });
    expect((JSON.parse(sent[1]!) as { labels: unknown }).labels).toEqual(["c***@corp.example"]);
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

  it("sends a date as its text", async () => {
    let sent = "";
    nock(API)
      .put("/repos/acme/admin/contents/people.csv", (body: unknown) => ((sent = JSON.stringify(body)), true))
      .reply(200, { commit: { sha: "c" } });
    await client().request("PUT /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "admin",
      path: "people.csv",
      message: "m",
      content: "",
      committer: { name: "n", date: new Date(Date.UTC(2026, 0, 2)) } as never,
    });
    expect((JSON.parse(sent) as { committer: { date: string } }).committer.date).toBe("2026-01-02T00:00:00.000Z");
  });

  it("refuses, naming the field, a write whose branch, ref, path or email holds an address: masked, it would go elsewhere", async () => {
    const attempts: Array<[string, Record<string, unknown>]> = [
      [
        "PUT /repos/{owner}/{repo}/contents/{path}",
        { path: "p.csv", message: "m", content: "", branch: "users/mona@corp.example" },
      ],
      [
        "PUT /repos/{owner}/{repo}/contents/{path}",
        { path: "p.csv", message: "m", content: "", committer: { name: "n", email: "bot@example.com" } },
      ],
      ["POST /repos/{owner}/{repo}/git/refs", { ref: "refs/heads/mona@corp.example", sha: "abc" }],
      [
        "POST /repos/{owner}/{repo}/git/trees",
        { tree: [{ path: "u/mona@corp.example.md", mode: "100644", type: "blob", sha: "b" }] },
      ],
    ];
    const messages: string[] = [];
    for (const [route, parameters] of attempts)
      messages.push(
        await client()
          .request(
            route as "POST /repos/{owner}/{repo}/git/refs",
            { owner: "acme", repo: "admin", ...parameters } as never,
          )
          .then(
            () => "sent",
            (error: Error) => error.message,
          ),
      );
    expect(messages.map((message) => /the field "(\w+)"/.exec(message)?.[1])).toEqual([
      "branch",
      "email",
      "ref",
      "path",
    ]);
    expect(messages.join("\n")).not.toMatch(/mona@|bot@/);
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

  it("writes a `:name` route's file where it is named, and refuses a path that holds an address", async () => {
    const seen = record(/contents/, "PUT");
    const put = (path: string) =>
      client().request(
        "PUT /repos/:owner/:repo/contents/:path" as never,
        { owner: "acme", repo: "admin", path, message: "by lisa@corp.example", content: "" } as never,
      );
    await put("people/all.csv");
    await expect(put("by-mona@corp.example.csv")).rejects.toThrow(/in the URL's path/);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe("/repos/acme/admin/contents/people%2Fall.csv");
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

  it("sends a file that is not UTF-8 text as it came, and refuses one with an address in it (bytes or UTF-16)", async () => {
    const seen = record("/repos/acme/admin/git/blobs");
    const head = Buffer.from([0x89, 0x50, 0xff, 0xfe, 0x00, 0x80]);
    const blob = (file: Buffer) =>
      client().request("POST /repos/{owner}/{repo}/git/blobs", {
        owner: "acme",
        repo: "admin",
        content: file.toString("base64"),
        encoding: "base64",
      });
    const plain = Buffer.concat([head, Buffer.from(" no address here "), head]);
    await blob(plain);
    await expect(blob(Buffer.concat([head, Buffer.from(" by mona@corp.example ")]))).rejects.toThrow(
      /a file that is not UTF-8 text/,
    );
    // UTF-16 text of ASCII characters is valid UTF-8 (a NUL between letters): read as UTF-16 too.
    await expect(blob(Buffer.from("\uFEFFemail\r\nmona.lisa@corp.example", "utf16le"))).rejects.toThrow(
      /a file that is not UTF-8 text/,
    );
    await expect(blob(Buffer.from("mona.lisa@corp.example", "utf16le").swap16())).rejects.toThrow(
      /a file that is not UTF-8 text/,
    );
    expect(seen).toHaveLength(1);
    expect(Buffer.from((JSON.parse(seen[0]!.body) as { content: string }).content, "base64")).toEqual(plain);
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
    ).rejects.toThrow(/email address in the URL's query string/);
  });
});

describe("emailGuardPlugin writing what Octokit would write", () => {
  it("drops a Content-Length the caller declared when masking changed the body", async () => {
    let declared: string | undefined;
    let sent = "";
    nock(API)
      .post("/repos/acme/admin/issues", (body: unknown) => ((sent = JSON.stringify(body)), true))
      .reply(function () {
        declared = this.req.headers["content-length"] as string | undefined;
        return [201, {}];
      });
    const parameters = { title: "for mona.lisa@corp.example" };
    await client().request("POST /repos/{owner}/{repo}/issues", {
      owner: "acme",
      repo: "admin",
      ...parameters,
      headers: { "content-length": String(JSON.stringify(parameters).length) },
    });
    expect(sent).toBe('{"title":"for m***@corp.example"}');
    expect(Number(declared ?? Buffer.byteLength(sent))).toBe(Buffer.byteLength(sent));
  });

  it("keeps every digit of a large integer in a JSON text body it masks", async () => {
    let raw = "";
    nock(API)
      .post("/repos/acme/admin/issues")
      .reply(201, function (_uri, body) {
        raw = typeof body === "string" ? body : "";
        return {};
      });
    await client().request("POST /repos/{owner}/{repo}/issues", {
      owner: "acme",
      repo: "admin",
      data: '{"title":"mona@corp.example","milestone":12345678901234567891}',
      headers: { "content-type": "text/plain" },
    } as never);
    expect(raw).toBe('{"title":"m***@corp.example","milestone":12345678901234567891}');
  });

  it("applies toJSON once (one returning its own object), unboxes boxed primitives, and keeps a masked emoji whole", async () => {
    let sent = "";
    nock(API)
      .post("/repos/acme/admin/issues", (body: unknown) => ((sent = JSON.stringify(body)), true))
      .reply(201, {});
    const self = {
      note: "lisa@corp.example",
      toJSON() {
        return this;
      },
    };
    await client().request("POST /repos/{owner}/{repo}/issues", {
      owner: "acme",
      repo: "admin",
      title: "\u{1F600}mona@corp.example",
      self,
      boxed: [new String("x"), new Number(3), new Boolean(true)],
    } as never);
    expect(JSON.parse(sent)).toEqual({
      title: "\u{1F600}***@corp.example",
      self: { note: "l***@corp.example" },
      boxed: ["x", 3, true],
    });
  });
});

describe("emailGuardPlugin against a third review's requests", () => {
  const refusedWith = (request: Promise<unknown>) =>
    request.then(
      () => "sent",
      (error: Error) => error.message,
    );

  it("refuses an address in a path that also holds a bad escape, in a field's name, in a GraphQL branch, in UTF-32", async () => {
    const messages = [
      await refusedWith(
        client().request("PUT /repos/acme/admin/contents/%E0/mona%40corp.example" as never, { message: "m" } as never),
      ),
      await refusedWith(
        client().request("POST /gists", { files: { "mona@corp.example.txt": { content: "x" } } } as never),
      ),
      await refusedWith(
        client().graphql(
          "mutation ($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }",
          {
            input: { branch: { branchName: "mona@corp.example", repositoryNameWithOwner: "acme/admin" } },
          },
        ),
      ),
      await refusedWith(
        client().request("POST /repos/{owner}/{repo}/git/blobs", {
          owner: "acme",
          repo: "admin",
          content: Buffer.from([..."mona@corp.example"].flatMap((c) => [c.charCodeAt(0), 0, 0, 0])).toString("base64"),
          encoding: "base64",
        }),
      ),
    ];
    expect(messages).toEqual([
      expect.stringMatching(/in the URL's path/),
      expect.stringMatching(/in a field's name/),
      expect.stringMatching(/in the field "branchName"/),
      expect.stringMatching(/in a file that is not UTF-8 text/),
    ]);
    expect(messages.join("\n")).not.toContain("mona@");
  });

  it("masks every copy of a key written twice in a JSON text body, and leaves a text that ends in digits and n as it is", async () => {
    const raw: string[] = [];
    nock(API)
      .post("/repos/acme/admin/issues")
      .times(2)
      .reply(201, function (_uri, body) {
        raw.push(typeof body === "string" ? body : "");
        return {};
      });
    const send = (data: string) =>
      client().request("POST /repos/{owner}/{repo}/issues", {
        owner: "acme",
        repo: "admin",
        data,
        headers: { "content-type": "text/plain" },
      } as never);
    await send('{"body":"ask mona@corp.example","body":"hi"}');
    await send(JSON.stringify({ body: "ask mona@corp.example", title: 'ticket "42n' }));
    expect(raw).toEqual([
      '{"body":"ask m***@corp.example","body":"hi"}',
      JSON.stringify({ body: "ask m***@corp.example", title: 'ticket "42n' }),
    ]);
  });
});
