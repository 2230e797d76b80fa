import { afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import nock from "../../support/nock.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { createGhesClient } from "../../../src/github/ghes-client.js";
import { captureLog } from "../../support/capture-log.js";

const API = "https://api.github.com";
const TOKEN = "ghp_TopSecretToken0123456789";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  jest.restoreAllMocks();
  expect(pending).toEqual([]);
});

const cloud = () =>
  createGhecClient({ token: TOKEN, logger: captureLog().logger, readOnly: true, serverErrorRetries: 0 });

describe("graphqlPlainJson", () => {
  it("sends the query and variables as JSON and gives the answer's data, as Octokit does", async () => {
    let sent: unknown;
    nock(API)
      .post("/graphql", (body: unknown) => ((sent = body), true))
      .reply(200, { data: { enterprise: { slug: "acme", count: 3, nodes: [{ nameId: "mona@corp.example" }] } } });
    const data = await cloud().graphql("query ($slug: String!) { enterprise(slug: $slug) { slug } }", { slug: "acme" });
    expect(sent).toEqual({
      query: "query ($slug: String!) { enterprise(slug: $slug) { slug } }",
      variables: { slug: "acme" },
    });
    expect(data).toEqual({ enterprise: { slug: "acme", count: 3, nodes: [{ nameId: "mona@corp.example" }] } });
  });

  it("reads the answer with JSON.parse, not Octokit's BigInt parser (GitHub's GraphQL sends BigInt as a string)", async () => {
    nock(API).post("/graphql").reply(200, '{"data":{"size":12345678901234567890,"big":"12345678901234567890"}}', {
      "content-type": "application/json; charset=utf-8",
    });
    const data = await cloud().graphql<{ size: unknown; big: unknown }>("query { size big }");
    expect(typeof data.size).toBe("number");
    expect(data.big).toBe("12345678901234567890");
  });

  it("still throws GraphQL errors (a 200 with errors) and HTTP errors with their parsed answer", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: null, errors: [{ type: "FORBIDDEN", message: "Resource not accessible" }] });
    const graphqlError = await cloud()
      .graphql("query { viewer { login } }")
      .catch((caught: unknown) => caught);
    expect((graphqlError as Error).message).toMatch(/Resource not accessible/);

    nock(API).post("/graphql").reply(401, { message: "Bad credentials" });
    const httpError = await cloud()
      .graphql("query { viewer { login } }")
      .catch((caught: unknown) => caught);
    expect(httpError).toMatchObject({ status: 401, response: { data: { message: "Bad credentials" } } });
  });

  it("reads a GHES GraphQL answer (/api/graphql) the same way", async () => {
    nock("https://ghes.corp.example")
      .post("/api/graphql")
      .reply(200, { data: { viewer: { login: "admin" } } });
    const client = createGhesClient({
      url: "https://ghes.corp.example",
      token: TOKEN,
      logger: captureLog().logger,
      readOnly: true,
      serverErrorRetries: 0,
    });
    expect(await client.graphql("query { viewer { login } }")).toEqual({ viewer: { login: "admin" } });
  });

  it("gives REST answers as Octokit parses them, integers beyond 2^53 included", async () => {
    nock(API).get("/enterprises/acme/license-sync-status").reply(200, '{"id":12345678901234567890}', {
      "content-type": "application/json",
    });
    const { data } = await cloud().request("GET /enterprises/{enterprise}/license-sync-status", { enterprise: "acme" });
    expect((data as { id: unknown }).id).toBe(12345678901234567890n);
  });

  it("serializes the body with JSON.stringify itself, once, and a retry re-sends the same text", async () => {
    const query = "query { viewer { login } }";
    const stringify = jest.spyOn(JSON, "stringify");
    const sent: unknown[] = [];
    nock(API)
      .post("/graphql", (body: unknown) => (sent.push(body), true))
      .reply(500, { message: "boom" })
      .post("/graphql", (body: unknown) => (sent.push(body), true))
      .reply(200, { data: { viewer: { login: "mona" } } });
    const client = createGhecClient({ token: TOKEN, logger: captureLog().logger, readOnly: true, retryDelayMs: 1 });
    expect(await client.graphql(query)).toEqual({ viewer: { login: "mona" } });
    expect(
      stringify.mock.calls.filter(([value]) => (value as { query?: unknown } | null)?.query === query),
    ).toHaveLength(1);
    expect(sent).toEqual([{ query }, { query }]);
  });

  it("passes each page's cursor on through graphql.paginate.iterator", async () => {
    const query =
      "query ($cursor: String) { viewer { items(first: 1, after: $cursor) { nodes { id } pageInfo { hasNextPage endCursor } } } }";
    const sent: unknown[] = [];
    const page = (id: number, hasNextPage: boolean) => ({
      data: { viewer: { items: { nodes: [{ id }], pageInfo: { hasNextPage, endCursor: `c${id}` } } } },
    });
    nock(API)
      .post("/graphql", (body: unknown) => (sent.push(body), true))
      .reply(200, page(1, true))
      .post("/graphql", (body: unknown) => (sent.push(body), true))
      .reply(200, page(2, false));
    const ids: number[] = [];
    for await (const answer of cloud().graphql.paginate.iterator<{
      viewer: { items: { nodes: Array<{ id: number }> } };
    }>(query))
      ids.push(...answer.viewer.items.nodes.map((node) => node.id));
    expect(ids).toEqual([1, 2]);
    expect((sent[1] as { variables: unknown }).variables).toEqual({ cursor: "c1" });
  });

  it.each([
    ["an HTML page", "<html>sign in, mona@corp.example</html>", { "content-type": "text/html" }],
    ["cut JSON", '{"data":{"viewer":', { "content-type": "application/json" }],
    ["an empty body", "", { "content-type": "application/json" }],
  ])("refuses a 200 that is %s, naming the host and never quoting the answer", async (_kind, body, headers) => {
    nock(API).post("/graphql").reply(200, body, headers);
    const error = await cloud()
      .graphql("query { viewer { login } }")
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      /^GitHub api\.github\.com: a GraphQL answer \(HTTP 200, \d+ bytes\) is not JSON/,
    );
    expect((error as Error).message).not.toContain("mona@");
    expect((error as Error).message).not.toContain("viewer");
  });
});
