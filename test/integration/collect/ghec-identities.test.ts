import { describe, expect, it } from "@jest/globals";
import nock, { strictNock } from "../../support/nock.js";
import { collectIdentities, type CollectIdentitiesOptions } from "../../../src/collect/ghec/identities.js";
import { connectionPages, dig, type LocateConnection } from "../../../src/collect/ghec/graphql-pages.js";
import { RequestMeter } from "../../../src/github/index.js";
import { InputError } from "../../../src/shared/errors.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { captureLog, LEVEL, type CapturedLog } from "../../support/capture-log.js";
import {
  connection,
  enterpriseDomainsData,
  enterpriseIdentitiesData,
  graphqlBody,
  identityNode,
} from "./graphql-fixtures.js";

strictNock();

const API = "https://api.github.com";
const protector = createEmailProtector({ secret: "test-secret" });
const IDENTITIES = "samlIdentityProvider { externalIdentities";
const DOMAINS = "domains(first: 100, after: $cursor, isVerified: true)";

function options(
  log: CapturedLog = captureLog(),
  overrides: Partial<CollectIdentitiesOptions> = {},
): CollectIdentitiesOptions {
  return {
    client: createGhecClient({ token: "ghp_test", logger: log.logger, retryDelayMs: 1 }),
    enterprise: "acme",
    protector,
    logger: log.logger,
    ...overrides,
  };
}

function mockDomains(domains = [{ domain: "acme.example", isVerified: true }]) {
  nock(API)
    .post("/graphql", graphqlBody(DOMAINS))
    .reply(200, { data: enterpriseDomainsData(domains) });
}

describe("collectIdentities", () => {
  it("follows the cursor over two pages and keeps only verified domains, with no clear email in the result", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, {
        data: enterpriseIdentitiesData(
          connection(
            [identityNode("octocat", "octo.cat@acme.example"), identityNode(null, "unlinked@acme.example")],
            "Y3Vyc29yOjI=",
            true,
          ),
        ),
      })
      .post("/graphql", graphqlBody(IDENTITIES, "Y3Vyc29yOjI="))
      .reply(200, {
        data: enterpriseIdentitiesData(
          connection([identityNode("monalisa", "mona.lisa@acme.example")], "Y3Vyc29yOjM=", false),
        ),
      });
    mockDomains([
      { domain: "Acme.Example", isVerified: true },
      { domain: "pending.example", isVerified: false },
    ]);

    const result = await collectIdentities(options());

    expect(result.identities.map((identity) => identity.login)).toEqual(["octocat", null, "monalisa"]);
    // NameID, emails and the emailaddress claim are one address; the SAML username is keyed too.
    expect(result.identities[0]!.emailKeys).toEqual([
      protector.key("octo.cat@acme.example"),
      protector.key("octo.cat"),
    ]);
    expect(result.identities[2]!.handleKeys.length).toBeGreaterThan(0);
    expect(result.verifiedDomains).toEqual(["acme.example"]);
    expect(result.requests).toBe(3);
    expect(JSON.stringify(result)).not.toMatch(/octo\.cat|mona\.lisa|unlinked@/);
  });

  it("stops a cursor that comes back to an earlier page (A, B, A, …) instead of reading the loop for ever", async () => {
    const page = (cursor: string, next: string) =>
      nock(API)
        .post("/graphql", graphqlBody(IDENTITIES, cursor))
        .reply(200, {
          data: enterpriseIdentitiesData(connection([identityNode("octocat", "octo.cat@acme.example")], next, true)),
        });
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, {
        data: enterpriseIdentitiesData(connection([identityNode("octocat", "octo.cat@acme.example")], "A", true)),
      });
    // Persisted: without the check the loop is read until memory or the run's bound gives out.
    page("A", "B").persist();
    page("B", "A").persist();
    mockDomains();
    const error = await collectIdentities(options()).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^GitHub api\.github\.com: the GraphQL pages loop/);
    nock.cleanAll();
  });

  it("asks GitHub to count the identities on the first page only; refuses a page that says more follow without a cursor, or loops back to the first", async () => {
    const asks =
      (cursor: string | undefined, counted: boolean) =>
      (body: { query?: string; variables?: Record<string, unknown> }) =>
        graphqlBody(IDENTITIES, cursor)(body) && body.query!.includes("totalCount") === counted;
    const page = (login: string, cursor: string | null, more: boolean, totalCount?: number) => ({
      data: enterpriseIdentitiesData({
        ...connection([identityNode(login, `${login}@acme.example`)], cursor, more),
        ...(totalCount === undefined ? {} : { totalCount }),
      } as ReturnType<typeof connection>),
    });
    /** Serves pages of one identity each, each asked with the cursor of the page before; 150 identities: from the start only. */
    const serve = (...pages: Array<[login: string, cursor: string | null, more: boolean]>) => {
      let scope = nock(API);
      pages.forEach(([login, cursor, more], index) => {
        const askedWith = index === 0 ? undefined : (pages[index - 1]![1] ?? undefined);
        scope = scope
          .post("/graphql", asks(askedWith, index === 0))
          .reply(200, page(login, cursor, more, index === 0 ? 150 : undefined));
      });
      mockDomains();
    };
    serve(["first", "c1", true], ["second", "c2", true], ["third", null, false]);
    const { identities } = await collectIdentities(options());
    expect(identities.map((identity) => identity.login)).toEqual(["first", "second", "third"]);

    serve(["first", null, true]);
    await expect(collectIdentities(options())).rejects.toThrow(
      "GraphQL page 1 said more pages follow but gave no cursor to them",
    );
    // The same on a later page: going on without a cursor would read page 1 again.
    serve(["first", "c1", true], ["second", "", true]);
    await expect(collectIdentities(options())).rejects.toThrow(
      "GraphQL page 2 said more pages follow but gave no cursor to them",
    );
    // A later page whose cursor leads back to the first page's (A, B, A) loops, across the two queries.
    serve(["first", "A", true], ["second", "B", true], ["third", "A", true]);
    await expect(collectIdentities(options())).rejects.toThrow("page 3's cursor leads back to an earlier page");
  });

  it("returns no identities, without error, for an enterprise without SAML", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, { data: enterpriseIdentitiesData(null) });
    mockDomains();
    const result = await collectIdentities(options());
    expect(result).toEqual({ identities: [], verifiedDomains: ["acme.example"], requests: 2 });
  });

  it("adds identities of organizations with their own SAML provider; one without a provider adds none", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, { data: enterpriseIdentitiesData(null) });
    mockDomains();
    nock(API)
      .post(
        "/graphql",
        (body: { query: string; variables: { login?: string } }) =>
          body.query.includes("organization(login: $login)") && body.variables.login === "acme-labs",
      )
      .reply(200, {
        data: {
          organization: {
            samlIdentityProvider: {
              externalIdentities: connection([identityNode("labrat", "lab.rat@labs.example")], null, false),
            },
          },
        },
      })
      .post("/graphql", (body: { query: string; variables: { login?: string } }) => body.variables.login === "acme-oss")
      .reply(200, { data: { organization: { samlIdentityProvider: null } } });

    const result = await collectIdentities(options(undefined, { organizations: ["acme-labs", "acme-oss"] }));

    expect(result.identities.map((identity) => identity.login)).toEqual(["labrat"]);
    expect(result.identities[0]!.emailKeys).toContain(protector.key("lab.rat@labs.example"));
  });

  it("names read:enterprise when the token's user is not an enterprise owner (ownerInfo is null)", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, { data: { enterprise: { ownerInfo: null } } });
    nock(API)
      .post("/graphql", graphqlBody(DOMAINS))
      .reply(200, { data: { enterprise: { ownerInfo: null } } });
    const error = await collectIdentities(options()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/enterprise "acme".*read:enterprise/s);
  });

  it("turns a FORBIDDEN GraphQL error into an error naming read:enterprise", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, { data: { enterprise: null }, errors: [{ type: "FORBIDDEN", message: "Resource not accessible" }] });
    mockDomains();
    await expect(collectIdentities(options())).rejects.toThrow(/FORBIDDEN.*read:enterprise/s);
  });

  it("names only GraphQL error types GitHub defines: a server's free text in `type` (an email, Markdown) is left out", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, {
        data: { enterprise: null },
        errors: [
          { type: "FORBIDDEN", message: "x" },
          { type: "leaky.person@corp.example ![t](https://evil.example/p.png)", message: "y" },
        ],
      });
    mockDomains();
    const error = (await collectIdentities(options()).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/\(FORBIDDEN\).*read:enterprise/s);
    expect(error.message).not.toMatch(/leaky|evil\.example/);
  });

  it("carries on without verified domains when the token may not read them", async () => {
    const log = captureLog();
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, {
        data: enterpriseIdentitiesData(connection([identityNode("octocat", "octo.cat@acme.example")], null, false)),
      });
    nock(API)
      .post("/graphql", graphqlBody(DOMAINS))
      .reply(200, {
        data: { enterprise: { ownerInfo: { domains: null } } },
        errors: [{ type: "FORBIDDEN", message: "needs admin:enterprise" }],
      });

    const result = await collectIdentities(options(log));

    expect(result.identities).toHaveLength(1);
    expect(result.verifiedDomains).toEqual([]);
    expect(log.records()).toContainEqual(expect.objectContaining({ level: LEVEL.warn, enterprise: "acme" }));
  });

  it("drops verified domains whose list is gone after a page, with a warning saying so; identities gone after a page fail the run", async () => {
    const log = captureLog();
    const oneIdentity = {
      data: enterpriseIdentitiesData(connection([identityNode("octocat", "octo.cat@acme.example")], null, false)),
    };
    const firstDomains = { data: enterpriseDomainsData([{ domain: "acme.example", isVerified: true }]) };
    firstDomains.data.enterprise.ownerInfo.domains.pageInfo = { hasNextPage: true, endCursor: "d1" };
    for (const gone of [{ enterprise: { ownerInfo: { domains: null } } }, { enterprise: { ownerInfo: null } }]) {
      nock(API).post("/graphql", graphqlBody(IDENTITIES)).reply(200, oneIdentity);
      nock(API)
        .post("/graphql", graphqlBody(DOMAINS))
        .reply(200, firstDomains)
        .post("/graphql", graphqlBody(DOMAINS, "d1"))
        .reply(200, { data: gone });
      const result = await collectIdentities(options(log));
      expect(result.identities).toHaveLength(1);
      expect(result.verifiedDomains).toEqual([]);
    }
    const warnings = log.records().filter((record) => record.level === LEVEL.warn);
    expect(warnings.map((record) => record.msg)).toEqual([
      "the enterprise's verified domains changed while they were read; using the domains of verified emails only",
      "the enterprise's verified domains changed while they were read; using the domains of verified emails only",
    ]);

    // ownerInfo missing after a first page is the list gone (run again), not a missing read:enterprise.
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, {
        data: enterpriseIdentitiesData(connection([identityNode("octocat", "octo.cat@acme.example")], "c1", true)),
      })
      .post("/graphql", graphqlBody(IDENTITIES, "c1"))
      .reply(200, { data: { enterprise: { ownerInfo: null } } });
    mockDomains();
    await expect(collectIdentities(options())).rejects.toThrow(/the GraphQL connection was gone after 1 page\(s\)/);
  });

  it("names the page and node of an identity it cannot read", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, {
        data: enterpriseIdentitiesData(connection([identityNode("octocat", "octo.cat@acme.example")], "c1", true)),
      })
      .post("/graphql", graphqlBody(IDENTITIES, "c1"))
      .reply(200, {
        data: enterpriseIdentitiesData(
          connection([{ ...identityNode("x", "x@acme.example"), user: { login: 42 } }], null, false),
        ),
      });
    mockDomains();
    await expect(collectIdentities(options())).rejects.toThrow("page 2, nodes[0].user.login");
  });
});

describe("connectionPages", () => {
  const QUERY = `query ($enterprise: String!, $cursor: String) {
  enterprise(slug: $enterprise) { ownerInfo { samlIdentityProvider { externalIdentities(first: 100, after: $cursor) {
    pageInfo { hasNextPage endCursor } nodes { user { login } } } } } }
}`;
  const locate: LocateConnection = (data) =>
    dig(data, "enterprise", "ownerInfo", "samlIdentityProvider", "externalIdentities") as ReturnType<LocateConnection>;
  // readOnly: no one-second spacing of GraphQL calls, which would blur what is asked when.
  const client = () =>
    createGhecClient({ token: "ghp_test", logger: captureLog().logger, retryDelayMs: 1, readOnly: true });
  const page = (login: string, cursor: string | null, more: boolean) => ({
    data: enterpriseIdentitiesData(connection([{ user: { login } }], cursor, more)),
  });
  /** Reads every page into `seen` until the read ends or fails. */
  const readInto = async (seen: unknown[]) => {
    for await (const nodes of connectionPages(client(), QUERY, { enterprise: "acme" }, new RequestMeter(), locate))
      seen.push(...nodes);
  };

  it("asks for the next page before handing out a page's nodes, so handling them overlaps the round trip", async () => {
    let secondAsked: () => void = () => undefined;
    const asked = new Promise<"asked">((resolve) => (secondAsked = () => resolve("asked")));
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, page("first", "c1", true))
      .post("/graphql", graphqlBody(IDENTITIES, "c1"))
      .reply(() => {
        secondAsked();
        return [200, page("second", null, false)];
      });
    const seen: unknown[] = [];
    const pages = connectionPages(client(), QUERY, { enterprise: "acme" }, new RequestMeter(), locate);
    for await (const nodes of pages) {
      // While the first page is in hand, the second is already on its way (never asked otherwise).
      if (seen.length === 0) {
        const timeout = new Promise<"not asked">((resolve) => setTimeout(() => resolve("not asked"), 2000).unref());
        expect(await Promise.race([asked, timeout])).toBe("asked");
      }
      seen.push(...nodes);
    }
    expect(seen).toEqual([{ user: { login: "first" } }, { user: { login: "second" } }]);
  });

  it("a reader that stops early ends with the page in flight settled; its failure is no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let secondAsked = false;
      nock(API)
        .post("/graphql", graphqlBody(IDENTITIES))
        .reply(200, page("first", "c1", true))
        .post("/graphql", graphqlBody(IDENTITIES, "c1"))
        .delay(200)
        .reply(() => {
          secondAsked = true;
          return [200, { errors: [{ type: "FORBIDDEN", message: "Resource not accessible" }] }];
        });
      const meter = new RequestMeter();
      const pages = connectionPages(client(), QUERY, { enterprise: "acme" }, meter, locate);
      for await (const nodes of pages) {
        expect(nodes).toHaveLength(1);
        // The look-ahead request is out (nock holds its answer back 200 ms) when the reader stops.
        while (!secondAsked) await new Promise((resolve) => setTimeout(resolve, 5));
        break;
      }
      expect(meter.count).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("a reader that stops early cuts the page in flight off: no retry of a page nobody will read", async () => {
    let attempts = 0;
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, page("first", "c1", true))
      .post("/graphql", graphqlBody(IDENTITIES, "c1"))
      .times(4)
      .reply(() => {
        attempts += 1;
        return [502, "bad gateway"];
      });
    const slowRetries = createGhecClient({
      token: "ghp_test",
      logger: captureLog().logger,
      retryDelayMs: 200,
      readOnly: true,
    });
    const pages = connectionPages(slowRetries, QUERY, { enterprise: "acme" }, new RequestMeter(), locate);
    const stopped = (async () => {
      for await (const nodes of pages) {
        expect(nodes).toHaveLength(1);
        // The look-ahead page has failed once and waits out its first back-off (200 ms).
        while (attempts < 1) await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error("the reader's own failure");
      }
    })();
    await expect(stopped).rejects.toThrow("the reader's own failure");
    // Without the cut-off the read would end only after 3 more attempts and 200 + 800 + 1800 ms.
    expect(attempts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toBe(1);
    nock.cleanAll();
  });

  it("refuses a connection that is gone after its first page (a provider removed mid-read): the list would be partial", async () => {
    for (const gone of [{ data: enterpriseIdentitiesData(null) }, { data: { enterprise: { ownerInfo: null } } }]) {
      nock(API)
        .post("/graphql", graphqlBody(IDENTITIES))
        .reply(200, page("first", "c1", true))
        .post("/graphql", graphqlBody(IDENTITIES, "c1"))
        .reply(200, gone);
      const seen: unknown[] = [];
      await expect(readInto(seen)).rejects.toThrow(
        /^GitHub api\.github\.com: the GraphQL connection was gone after 1 page\(s\) had been read/,
      );
      expect(seen).toEqual([{ user: { login: "first" } }]);
    }
  });

  it("an answer without pageInfo, or with a cursor that does not move, fails without quoting the answer (emails in it)", async () => {
    for (const [answer, wording] of [
      [
        { data: enterpriseIdentitiesData({ nodes: [identityNode("mona", "mona@acme.example")] } as never) },
        "no pageInfo",
      ],
      [
        {
          data: enterpriseIdentitiesData(
            connection([identityNode("mona", "mona@acme.example")], "cursor-of-mona", true),
          ),
        },
        "the same cursor as the page before",
      ],
    ] as const) {
      nock(API).post("/graphql", graphqlBody(IDENTITIES)).reply(200, answer);
      if (wording !== "no pageInfo")
        nock(API).post("/graphql", graphqlBody(IDENTITIES, "cursor-of-mona")).reply(200, answer);
      const error = (await readInto([]).catch((caught: unknown) => caught)) as Error;
      expect(error.message).toContain(wording);
      expect(error.message).not.toContain("mona");
    }
  });

  it("a page that fails after the one in hand fails the read once that page is handled", async () => {
    nock(API)
      .post("/graphql", graphqlBody(IDENTITIES))
      .reply(200, page("first", "c1", true))
      .post("/graphql", graphqlBody(IDENTITIES, "c1"))
      .reply(200, { errors: [{ type: "FORBIDDEN", message: "Resource not accessible" }] });
    const seen: unknown[] = [];
    await expect(readInto(seen)).rejects.toThrow();
    expect(seen).toEqual([{ user: { login: "first" } }]);
  });
});
