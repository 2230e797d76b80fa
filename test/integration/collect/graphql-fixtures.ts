/** GraphQL `ExternalIdentity` nodes and connection pages shaped as GitHub returns them. */

export interface IdentityNode {
  samlIdentity: {
    nameId: string | null;
    username: string | null;
    emails: Array<{ value: string }> | null;
    attributes: Array<{ name: string; value: string }> | null;
  } | null;
  scimIdentity: { username: string | null; emails: Array<{ value: string }> | null } | null;
  user: { login: string } | null;
}

const EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

/** A SAML (+ SCIM) identity linked to `login`, whose values are all `email`. */
export function identityNode(login: string | null, email: string): IdentityNode {
  return {
    samlIdentity: {
      nameId: email,
      username: email.split("@")[0]!,
      emails: [{ value: email }],
      attributes: [{ name: EMAIL_CLAIM, value: email }],
    },
    scimIdentity: { username: email, emails: [{ value: email }] },
    user: login === null ? null : { login },
  };
}

/** `{ pageInfo, nodes }` of one connection page. */
export function connection<T>(nodes: T[], endCursor: string | null, hasNextPage: boolean) {
  return { pageInfo: { hasNextPage, endCursor }, nodes };
}

/** The `data` of the enterprise identities query. */
export function enterpriseIdentitiesData(page: ReturnType<typeof connection> | null) {
  return { enterprise: { ownerInfo: { samlIdentityProvider: page === null ? null : { externalIdentities: page } } } };
}

/** The `data` of the enterprise domains query. */
export function enterpriseDomainsData(domains: Array<{ domain: string; isVerified: boolean }>) {
  return { enterprise: { ownerInfo: { domains: connection(domains, null, false) } } };
}

/** A GraphQL request body predicate for nock: which query, which cursor. */
export function graphqlBody(fragment: string, cursor?: string) {
  return (body: { query?: string; variables?: Record<string, unknown> }) =>
    typeof body.query === "string" && body.query.includes(fragment) && body.variables?.cursor === cursor;
}
