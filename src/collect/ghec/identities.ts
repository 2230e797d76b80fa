import { type GitHubClient, RequestMeter, settleAll } from "../../github/index.js";
import type { EmailProtector } from "../../privacy/index.js";
import { type ExternalIdentity, type IdentitiesResult, InputError, type Log } from "../../shared/index.js";
import { cloudFailure, enterpriseAccessRequired, isAccessRefusal } from "./access.js";
import { pageName, readFromBothEnds } from "./both-ends.js";
import {
  ConnectionGoneError,
  type ConnectionPage,
  connectionPages,
  connectionRead,
  countedConnectionRead,
  dig,
  type LocateConnection,
} from "./graphql-pages.js";
import { externalIdentitySchema, toExternalIdentity } from "../readers/identities-json.js";
import { issuePath } from "../readers/zod-issue.js";

const PAGE_SIZE = 100;
const IDENTITY_NODE = `nodes {
    guid
    samlIdentity { nameId username emails { value } attributes { name value } }
    scimIdentity { username emails { value } }
    user { login }
  }`;
const startPage = (counted: boolean) => `externalIdentities(first: ${PAGE_SIZE}, after: $cursor) {
  ${counted ? "totalCount\n  " : ""}pageInfo { hasNextPage endCursor }
  ${IDENTITY_NODE}
}`;
// From the start (its first page with the connection's size, which decides whether to read from
// the end too: counted once, GitHub counts for every page that asks), or from the end.
const IDENTITY_PAGE = {
  startCounted: startPage(true),
  start: startPage(false),
  end: `externalIdentities(last: ${PAGE_SIZE}, before: $cursor) {
  pageInfo { hasPreviousPage startCursor }
  ${IDENTITY_NODE}
}`,
};
/** The three queries of one provider's identities: the first page, the pages after it, the pages from the end. */
interface IdentityQueries {
  counted: string;
  rest: string;
  fromEnd: string;
}
const identityQueries = (wrap: (page: string) => string): IdentityQueries => ({
  counted: wrap(IDENTITY_PAGE.startCounted),
  rest: wrap(IDENTITY_PAGE.start),
  fromEnd: wrap(IDENTITY_PAGE.end),
});
export const ENTERPRISE_IDENTITIES_QUERIES = identityQueries(
  (page) => `query ($enterprise: String!, $cursor: String) {
  enterprise(slug: $enterprise) { ownerInfo { samlIdentityProvider { ${page} } } }
}`,
);
export const ORGANIZATION_IDENTITIES_QUERIES = identityQueries(
  (page) => `query ($login: String!, $cursor: String) {
  organization(login: $login) { samlIdentityProvider { ${page} } }
}`,
);
export const ENTERPRISE_DOMAINS_QUERY = `query ($enterprise: String!, $cursor: String) {
  enterprise(slug: $enterprise) { ownerInfo { domains(first: 100, after: $cursor, isVerified: true) {
    pageInfo { hasNextPage endCursor }
    nodes { domain isVerified }
  } } }
}`;

export interface CollectIdentitiesOptions {
  client: GitHubClient;
  enterprise: string;
  /** Organizations with their own SAML provider (not the enterprise's), by login. */
  organizations?: string[];
  protector: EmailProtector;
  logger: Log;
  meter?: RequestMeter;
}

/** The enterprise's connection: null without a SAML provider; ownerInfo is null for non-owners. */
function enterpriseConnection(enterprise: string, ...path: string[]): LocateConnection {
  return (data) => {
    const ownerInfo = dig(data, "enterprise", "ownerInfo");
    if (!ownerInfo)
      throw enterpriseAccessRequired(
        enterprise,
        `GraphQL enterprise(slug: "${enterprise}").ownerInfo`,
        "GitHub returned no owner information",
      );
    return (dig(ownerInfo, ...path) ?? null) as ReturnType<LocateConnection>;
  };
}

/** One provider's identities connection: where it is and how it is asked for. */
interface IdentitySource {
  queries: IdentityQueries;
  variables: Record<string, unknown>;
  locate: LocateConnection;
  /** `enterprise(slug: "acme")`, for messages. */
  label: string;
}

/**
 * Reads one provider's identities from both ends of its connection (see readFromBothEnds),
 * validating and keying each node on the spot.
 */
function readIdentities(
  { queries, variables, locate, label }: IdentitySource,
  { client, meter, protector }: { client: GitHubClient; meter: RequestMeter; protector: EmailProtector },
): Promise<ExternalIdentity[]> {
  const open = (fromEnd: boolean, cancel: AbortSignal): AsyncGenerator<ConnectionPage> =>
    fromEnd
      ? connectionRead(client, queries.fromEnd, variables, meter, locate, { cancel })
      : countedConnectionRead(client, queries, variables, meter, locate, cancel);
  const unreadable = (where: string, message: string) =>
    new InputError(`GraphQL ${label}.externalIdentities`, where, message, "Update license-sync or report the field.");
  return readFromBothEnds({
    open,
    pageSize: PAGE_SIZE,
    label: `GraphQL ${label}.externalIdentities`,
    keyOf(node, place, index) {
      const guid = dig(node, "guid");
      // Reads from both ends meet where one finds a node the other took: without a guid they cannot tell.
      if (typeof guid !== "string" || guid === "")
        throw unreadable(`${pageName(place)}, nodes[${index}].guid`, "expected a non-empty string");
      return guid;
    },
    take(node, place, index) {
      const parsed = externalIdentitySchema.safeParse(node);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw unreadable(issuePath(`${pageName(place)}, nodes[${index}]`, issue), issue.message);
      }
      return toExternalIdentity(parsed.data, protector);
    },
  });
}

/** Verified domains; the token may lack the scope for them (admin:enterprise), which only loses a hint. */
async function readVerifiedDomains(
  client: GitHubClient,
  enterprise: string,
  meter: RequestMeter,
  logger: Log,
): Promise<string[]> {
  const domains = new Set<string>();
  try {
    for await (const nodes of connectionPages(
      client,
      ENTERPRISE_DOMAINS_QUERY,
      { enterprise },
      meter,
      enterpriseConnection(enterprise, "domains"),
    )) {
      for (const node of nodes) {
        const domain = dig(node, "domain");
        if (dig(node, "isVerified") === true && typeof domain === "string" && domain.trim() !== "") {
          domains.add(
            domain
              .trim()
              .toLowerCase()
              .replace(/^https?:\/\//, "")
              .replace(/[/.]+$/, ""),
          );
        }
      }
    }
  } catch (error) {
    // Verified domains are a hint (the domains of verified emails stand in): a partial list is dropped, not used.
    if (error instanceof ConnectionGoneError) {
      logger.warn(
        { enterprise },
        "the enterprise's verified domains changed while they were read; using the domains of verified emails only",
      );
      return [];
    }
    if (!isAccessRefusal(error) && !(error instanceof InputError)) throw error;
    logger.warn(
      { enterprise },
      "cannot read the enterprise's verified domains (needs admin:enterprise); using the domains of verified emails only",
    );
    return [];
  }
  return [...domains].sort();
}

/**
 * Collects SAML/SCIM external identities (the enterprise's provider and, optionally, those of
 * organizations with their own) and the enterprise's verified domains, via GraphQL cursor
 * pagination. No SAML provider means no identities, not an error.
 *
 * @example const { identities, verifiedDomains } = await collectIdentities({ client, enterprise: "acme", organizations: ["acme-labs"], protector, logger });
 */
export async function collectIdentities(options: CollectIdentitiesOptions): Promise<IdentitiesResult> {
  const { client, enterprise, organizations = [], protector, logger, meter = new RequestMeter() } = options;
  const enterpriseIdentities = async () => {
    try {
      const source: IdentitySource = {
        queries: ENTERPRISE_IDENTITIES_QUERIES,
        variables: { enterprise },
        locate: enterpriseConnection(enterprise, "samlIdentityProvider", "externalIdentities"),
        label: `enterprise(slug: "${enterprise}")`,
      };
      return await readIdentities(source, { client, meter, protector });
    } catch (error) {
      throw cloudFailure(error, enterprise, `GraphQL enterprise(slug: "${enterprise}").ownerInfo.samlIdentityProvider`);
    }
  };
  const organizationIdentities = async (login: string) => {
    const locate: LocateConnection = (data) =>
      (dig(data, "organization", "samlIdentityProvider", "externalIdentities") ?? null) as ReturnType<LocateConnection>;
    try {
      const source: IdentitySource = {
        queries: ORGANIZATION_IDENTITIES_QUERIES,
        variables: { login },
        locate,
        label: `organization(login: "${login}")`,
      };
      return await readIdentities(source, { client, meter, protector });
    } catch (error) {
      if (!isAccessRefusal(error)) throw error;
      throw new InputError(
        `GHEC organization "${login}"`,
        "GraphQL organization.samlIdentityProvider",
        "GitHub refused the query or does not know the organization",
        "Check the organization login in the configuration; the token must belong to an owner of that organization.",
      );
    }
  };
  // Each pagination is serial by nature; the few of them run at once within the client's concurrency bound.
  const [own, perOrganization, verifiedDomains] = await settleAll([
    () => enterpriseIdentities(),
    () => settleAll(organizations.map((organization) => () => organizationIdentities(organization))),
    () => readVerifiedDomains(client, enterprise, meter, logger),
  ] as const);
  const identities = [...own, ...perOrganization.flat()];
  logger.info(
    {
      enterprise,
      identities: identities.length,
      organizations: organizations.length,
      verifiedDomains: verifiedDomains.length,
      requests: meter.count,
    },
    "collected external identities",
  );
  return { identities, verifiedDomains, requests: meter.count };
}
