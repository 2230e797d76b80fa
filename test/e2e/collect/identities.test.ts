import { afterEach, describe, expect, it } from "@jest/globals";
import { collectIdentities } from "../../../src/collect/ghec/identities.js";
import { externalIdentitySchema, toExternalIdentity } from "../../../src/collect/readers/identities-json.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import type { Dataset, IdentityScope } from "../../sim/dataset.js";
import type { Faults, Route } from "../../sim/http/types.js";
import { graphqlRoutes } from "../../sim/routes/graphql.js";
import { captureLog } from "../../support/capture-log.js";
import { startSimEnterprise, TOKENS } from "../../support/sim-enterprise.js";

type Enterprise = Awaited<ReturnType<typeof startSimEnterprise>>;

const protector = createEmailProtector({ secret: "sim-secret" });

/** What a read of the connection from its start alone returns: every identity, keyed, in order. */
const expectedOf = (dataset: Dataset, scope: IdentityScope) =>
  [...dataset.externalIdentities(scope)].map((node) =>
    toExternalIdentity(externalIdentitySchema.parse(node), protector),
  );

/** The simulator's GraphQL route, recording each query it answers. */
function recordingGraphql(queries: string[]): Route {
  const graphql = graphqlRoutes()[0]!;
  return {
    ...graphql,
    handler(req, sim) {
      queries.push(String((req.body as { query?: unknown } | undefined)?.query));
      return graphql.handler(req, sim);
    },
  };
}

describe("collectIdentities against the simulator: large connections read from both ends", () => {
  let e: Enterprise | undefined;
  let queries: string[] = [];
  const fromEnd = () => queries.filter((query) => query.includes("last: 100, before: $cursor")).length;
  afterEach(async () => {
    await e?.sim.close();
    e = undefined;
  });
  const collect = (enterprise: Enterprise, organizations?: string[]) =>
    collectIdentities({
      client: createGhecClient({
        token: TOKENS.GHEC_TOKEN,
        apiUrl: enterprise.sim.url,
        logger: captureLog().logger,
        retryDelayMs: 1,
        readOnly: true,
      }),
      enterprise: "acme",
      organizations,
      protector,
      logger: captureLog().logger,
    });
  const graphqlRequests = (enterprise: Enterprise) =>
    enterprise.sim.requests.filter((r) => r.route === "POST /graphql" && r.status === 200).length;

  it.each<[string, Partial<Faults>]>([
    ["a steady server", {}],
    ["a server that fails one request in ten and delays each", { errorRate: 0.1, latencyMs: 2, seed: 5 }],
  ])("returns exactly the identities a read from the start returns, in the same order, from %s", async (_, faults) => {
    queries = [];
    e = await startSimEnterprise({ persons: 6000 }, { faults, routes: [recordingGraphql(queries)] });
    const expected = expectedOf(e.dataset, null);
    expect(expected.length).toBeGreaterThan(1000);
    const { identities } = await collect(e);
    expect(identities).toEqual(expected);
    // Pages of 100 from both ends: at most the overlap and a cut-off look-ahead per end over a
    // read from one end, plus the verified domains' page (retries of failed requests aside).
    const pages = Math.ceil(expected.length / 100);
    expect(graphqlRequests(e)).toBeGreaterThanOrEqual(pages + 1);
    expect(graphqlRequests(e)).toBeLessThanOrEqual(pages + 1 + 3);
    // About half the pages came from the end; GitHub was asked to count the identities once.
    expect(fromEnd()).toBeGreaterThanOrEqual(Math.floor(pages / 2) - 2);
    expect(queries.filter((query) => query.includes("totalCount"))).toHaveLength(1);
  });

  it("reads each organization's own provider from both ends as well", async () => {
    const organizations = ["acme-labs", "acme-research"];
    e = await startSimEnterprise(
      { persons: 8000, identityOrgs: organizations },
      {
        tokens: {
          [TOKENS.GHEC_TOKEN]: { scopes: ["read:enterprise", "read:org"], login: "ent-owner", targets: ["cloud"] },
        },
        routes: [recordingGraphql((queries = []))],
      },
    );
    const expected = organizations.flatMap((login) => expectedOf(e!.dataset, login));
    for (const login of organizations) expect(expectedOf(e.dataset, login).length).toBeGreaterThan(300);
    const { identities } = await collect(e, organizations);
    expect(identities).toEqual(expected);
    expect(fromEnd()).toBeGreaterThan(4);
  });
});
