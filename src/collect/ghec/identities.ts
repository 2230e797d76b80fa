import { type GitHubClient, RequestMeter, settleAll } from "../../github/index.js";
import type { EmailProtector } from "../../privacy/index.js";
import { type ExternalIdentity, type IdentitiesResult, InputError, type Log } from "../../shared/index.js";
import { cloudFailure, enterpriseAccessRequired, isAccessRefusal } from "./access.js";
import { ConnectionGoneError, connectionPages, dig, type LocateConnection } from "./graphql-pages.js";
import { externalIdentitySchema, toExternalIdentity } from "../readers/identities-json.js";
import { issuePath } from "../readers/zod-issue.js";

const IDENTITY_PAGE = `externalIdentities(first: 100, after: $cursor) {
  pageInfo { hasNextPage endCursor }
  nodes {
    samlIdentity { nameId username emails { value } attributes { name value } }
    scimIdentity { username emails { value } }
    user { login }
  }
}`;
export const ENTERPRISE_IDENTITIES_QUERY = `query ($enterprise: String!, $cursor: String) {
  enterprise(slug: $enterprise) { ownerInfo { samlIdentityProvider { ${IDENTITY_PAGE} } } }
}`;
export const ORGANIZATION_IDENTITIES_QUERY = `query ($login: String!, $cursor: String) {
  organization(login: $login) { samlIdentityProvider { ${IDENTITY_PAGE} } }
}`;
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

/** Reads one provider's identities page by page, validating and keying each node on the spot. */
async function readIdentities(
  pages: AsyncGenerator<unknown[]>,
  label: string,
  protector: EmailProtector,
): Promise<ExternalIdentity[]> {
  const identities: ExternalIdentity[] = [];
  let page = 0;
  for await (const nodes of pages) {
    page += 1;
    nodes.forEach((node, index) => {
      const parsed = externalIdentitySchema.safeParse(node);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(
          `GraphQL ${label}.externalIdentities`,
          issuePath(`page ${page}, nodes[${index}]`, issue),
          issue.message,
          "Update license-sync or report the field.",
        );
      }
      identities.push(toExternalIdentity(parsed.data, protector));
    });
  }
  return identities;
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
      const pages = connectionPages(
        client,
        ENTERPRISE_IDENTITIES_QUERY,
        { enterprise },
        meter,
        enterpriseConnection(enterprise, "samlIdentityProvider", "externalIdentities"),
      );
      return await readIdentities(pages, `enterprise(slug: "${enterprise}")`, protector);
    } catch (error) {
      throw cloudFailure(error, enterprise, `GraphQL enterprise(slug: "${enterprise}").ownerInfo.samlIdentityProvider`);
    }
  };
  const organizationIdentities = async (login: string) => {
    const locate: LocateConnection = (data) =>
      (dig(data, "organization", "samlIdentityProvider", "externalIdentities") ?? null) as ReturnType<LocateConnection>;
    try {
      return await readIdentities(
        connectionPages(client, ORGANIZATION_IDENTITIES_QUERY, { login }, meter, locate),
        `organization(login: "${login}")`,
        protector,
      );
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
