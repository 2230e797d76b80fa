import { paginateGraphQL } from "@octokit/plugin-paginate-graphql";
import { Octokit } from "@octokit/rest";
import { createDataset } from "./dataset.js";
import type { ExternalIdentityNode } from "./dataset-types.js";
import { call } from "./http-client.js";
import { startSimulator, type Simulator } from "./server.js";

const HOSTS = ["ghes-a.corp.example"];
const dataset = createDataset({ seed: 51, persons: 2500, hosts: HOSTS });
const orgDataset = createDataset({ seed: 52, persons: 1500, hosts: HOSTS, identityOrgs: ["acme-eng", "acme-sso"] });
const tokens = { ent: { scopes: ["read:enterprise"] }, org: { scopes: ["admin:org"] }, repoOnly: { scopes: ["repo"] } };
let sim: Simulator;
let orgSim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ dataset, tokens });
  orgSim = await startSimulator({ dataset: orgDataset, tokens });
});
afterAll(async () => {
  await Promise.all([sim.close(), orgSim.close()]);
});

const IDENTITIES = `query paginate($cursor: String, $slug: String!) {
  enterprise(slug: $slug) {
    ownerInfo { samlIdentityProvider { externalIdentities(first: 100, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes { guid samlIdentity { nameId username emails { value } attributes { name value } } scimIdentity { username emails { value } } user { login } }
    } } }
  }
}`;

type GraphqlAnswer = { data: Record<string, unknown> | null; errors?: Array<{ type?: string; message: string }> };
const graphql = async (s: Simulator, query: string, variables: Record<string, unknown>, token = "ent") => {
  const answer = await call(`${s.url}/graphql`, { method: "POST", token, body: { query, variables } });
  return { ...answer, body: answer.json as GraphqlAnswer };
};

describe("POST /graphql", () => {
  test("Octokit's paginate-graphql plugin walks every enterprise identity exactly once", async () => {
    const octokit = new (Octokit.plugin(paginateGraphQL))({ auth: "ent", baseUrl: sim.url });
    const result = await octokit.graphql.paginate<{
      enterprise: { ownerInfo: { samlIdentityProvider: { externalIdentities: { nodes: ExternalIdentityNode[] } } } };
    }>(IDENTITIES, { slug: "acme" });
    const nodes = result.enterprise.ownerInfo.samlIdentityProvider.externalIdentities.nodes;
    expect(nodes).toEqual([...dataset.externalIdentities(null)]);
    expect(sim.counts()["POST /graphql"]).toBe(Math.ceil(nodes.length / 100));
  });

  test("read from the end (last/before), paginate-graphql walks every identity exactly once, pages in reverse", async () => {
    const octokit = new (Octokit.plugin(paginateGraphQL))({ auth: "ent", baseUrl: sim.url });
    const fromEnd = IDENTITIES.replace("first: 100, after: $cursor", "last: 100, before: $cursor").replace(
      "pageInfo { hasNextPage endCursor }",
      "pageInfo { hasPreviousPage startCursor }",
    );
    const pages: ExternalIdentityNode[][] = [];
    for await (const page of octokit.graphql.paginate.iterator<{
      enterprise: { ownerInfo: { samlIdentityProvider: { externalIdentities: Record<string, unknown> } } };
    }>(fromEnd, { slug: "acme" })) {
      const connection = page.enterprise.ownerInfo.samlIdentityProvider.externalIdentities;
      // Only the selected pageInfo fields, as GitHub answers: the plugin reads direction from them.
      expect(Object.keys(connection.pageInfo as object).sort()).toEqual(["hasPreviousPage", "startCursor"]);
      pages.push(connection.nodes as ExternalIdentityNode[]);
    }
    const all = [...dataset.externalIdentities(null)];
    expect(pages[0]).toEqual(all.slice(-100));
    expect(pages.reverse().flat()).toEqual(all);
  });

  test("first and last together, or last over 100, are refused with GitHub's messages", async () => {
    const both = await graphql(sim, IDENTITIES.replace("first: 100,", "first: 100, last: 10,"), { slug: "acme" });
    expect(both.body.errors?.[0]?.message).toBe(
      "Passing both `first` and `last` to paginate the `externalIdentities` connection is not supported.",
    );
    const many = await graphql(sim, IDENTITIES.replace("first: 100", "last: 101"), { slug: "acme" });
    expect(many.body.errors?.[0]?.message).toBe(
      "Requesting 101 records on the `externalIdentities` connection exceeds the `last` limit of 100 records.",
    );
  });

  test("cursors are honoured, with edges and totalCount when asked; the graphql rate limit is charged", async () => {
    const query = IDENTITIES.replace("pageInfo {", "totalCount edges { cursor } pageInfo {").replace(
      "first: 100",
      "first: 7",
    );
    const first = await graphql(sim, query, { slug: "acme" });
    const connection = (
      first.body.data?.enterprise as {
        ownerInfo: { samlIdentityProvider: { externalIdentities: Record<string, unknown> } };
      }
    ).ownerInfo.samlIdentityProvider.externalIdentities;
    const edges = connection.edges as Array<{ cursor: string }>;
    const pageInfo = connection.pageInfo as { endCursor: string; hasNextPage: boolean };
    expect(edges).toHaveLength(7);
    expect(pageInfo.endCursor).toBe(edges[6]?.cursor);
    expect(connection.totalCount).toBe([...dataset.externalIdentities(null)].length);
    const second = await graphql(sim, query, { slug: "acme", cursor: edges[2]?.cursor });
    const again = (
      second.body.data?.enterprise as typeof first.body.data & {
        ownerInfo: { samlIdentityProvider: { externalIdentities: { nodes: ExternalIdentityNode[] } } };
      }
    ).ownerInfo.samlIdentityProvider.externalIdentities.nodes;
    expect(again.map((n) => n.guid).slice(0, 4)).toEqual(
      (connection.nodes as ExternalIdentityNode[]).slice(3).map((n) => n.guid),
    );
    expect(second.headers.get("x-ratelimit-resource")).toBe("graphql");
  });

  test("domains honour isVerified; billingInfo and server installations are answered when asked", async () => {
    const query = `query($slug: String!) { enterprise(slug: $slug) { billingInfo { totalLicenses allLicensableUsersCount }
      ownerInfo { domains(first: 10, isVerified: true) { nodes { domain isVerified } pageInfo { hasNextPage endCursor } }
      enterpriseServerInstallations(first: 10) { nodes { hostName isConnected } } } } }`;
    const { body } = await graphql(sim, query, { slug: "acme" });
    const enterprise = body.data?.enterprise as {
      billingInfo: unknown;
      ownerInfo: { domains: { nodes: unknown[] }; enterpriseServerInstallations: { nodes: unknown[] } };
    };
    expect(enterprise.ownerInfo.domains.nodes).toEqual(dataset.domains().filter((d) => d.isVerified));
    expect(enterprise.billingInfo).toEqual({
      totalLicenses: dataset.options.seatsPurchased,
      allLicensableUsersCount: dataset.consumedLicenseCount,
    });
    expect(enterprise.ownerInfo.enterpriseServerInstallations.nodes).toHaveLength(HOSTS.length + 1);
    expect(enterprise).not.toHaveProperty("ownerInfo.samlIdentityProvider");
  });

  test("organization IdPs: each org lists its own identities, the enterprise has no IdP", async () => {
    const orgQuery = `query($login: String!, $cursor: String) { organization(login: $login) { samlIdentityProvider {
      externalIdentities(first: 100, after: $cursor) { pageInfo { hasNextPage endCursor } nodes { guid } } } } }`;
    for (const login of ["acme-eng", "acme-sso"]) {
      const guids: string[] = [];
      let cursor: string | null = null;
      do {
        const { body }: { body: GraphqlAnswer } = await graphql(orgSim, orgQuery, { login, cursor }, "org");
        const connection = (
          body.data?.organization as {
            samlIdentityProvider: {
              externalIdentities: {
                nodes: Array<{ guid: string }>;
                pageInfo: { hasNextPage: boolean; endCursor: string };
              };
            };
          }
        ).samlIdentityProvider.externalIdentities;
        guids.push(...connection.nodes.map((n) => n.guid));
        cursor = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      } while (cursor);
      expect(guids).toEqual([...orgDataset.externalIdentities(login)].map((n) => n.guid));
      expect(guids.length).toBeGreaterThan(0);
    }
    const other = await graphql(orgSim, orgQuery, { login: "acme-ops" }, "org");
    expect((other.body.data?.organization as { samlIdentityProvider: unknown }).samlIdentityProvider).toBeNull();
    const enterprise = await graphql(orgSim, IDENTITIES, { slug: "acme" });
    expect(
      (enterprise.body.data?.enterprise as { ownerInfo: { samlIdentityProvider: unknown } }).ownerInfo
        .samlIdentityProvider,
    ).toBeNull();
  });

  test("GitHub's errors: pagination limits, bad cursors, unknown slug, missing scopes, bad credentials", async () => {
    const typeOf = async (query: string, vars: Record<string, unknown>, token = "ent") =>
      (await graphql(sim, query, vars, token)).body.errors?.[0]?.type;
    expect(await typeOf(IDENTITIES.replace("first: 100", "first: 101"), { slug: "acme" })).toBe("EXCESSIVE_PAGINATION");
    expect(await typeOf(IDENTITIES.replace("first: 100, ", ""), { slug: "acme" })).toBe(
      "MISSING_PAGINATION_BOUNDARIES",
    );
    expect(await typeOf(IDENTITIES, { slug: "acme", cursor: "bm9wZQ==" })).toBe("INVALID_CURSOR_ARGUMENTS");
    expect(await typeOf(IDENTITIES, { slug: "globex" })).toBe("NOT_FOUND");
    const denied = await graphql(sim, IDENTITIES, { slug: "acme" }, "repoOnly");
    expect(denied.status).toBe(200);
    expect(denied.body.errors?.[0]?.type).toBe("INSUFFICIENT_SCOPES");
    expect(denied.body.data).toBeNull();
    expect((await graphql(sim, IDENTITIES, { slug: "acme" }, "nope")).status).toBe(401);
    expect((await graphql(sim, "query { viewer { login } }", {})).body.errors?.[0]?.message).toMatch(
      /does not understand/,
    );
  });
});
