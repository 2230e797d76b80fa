import type { ResolvedOptions } from "./dataset-options.js";
import type { ExternalIdentityNode } from "./dataset-types.js";
import { emailVariant, type Person } from "./people.js";
import { hash32, rngFor } from "./prng.js";

const STREAM_PRESENCE = 3;
const STREAM_IDENTITY = 4;

/** SAML claims GitHub compares (docs/matching-rule.md). */
export const NAME_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
export const EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
const GIVEN_NAME_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname";

/**
 * Who has an external identity. Only categories where an identity cannot change the intended
 * match get one: the matched-by-SAML persons, cloud-only and double-counted persons (on their
 * cloud address), and unsynced server persons whose identity is linked to no login (a trap: an
 * unlinked identity must never merge anyone).
 */
export function hasIdentity(person: Pick<Person, "index" | "category">, options: ResolvedOptions): boolean {
  const rng = rngFor(options.seed, person.index, STREAM_PRESENCE);
  switch (person.category) {
    case "matchedSamlIdentity":
      return true;
    case "cloudOnly":
    case "doubleCounted":
      return rng.chance(options.noise.identityCoverage);
    case "serverOnlyUnsynced":
      return rng.chance(options.noise.unlinkedIdentity);
    default:
      return false;
  }
}

/** Organization whose IdP holds the person's identity, or null for the enterprise IdP. */
export function identityOrg(person: Pick<Person, "index">, options: ResolvedOptions): string | null {
  const orgs = options.identityOrgs;
  if (orgs.length === 0) return null;
  return orgs[hash32(options.seed, person.index, 99) % orgs.length] ?? null;
}

function guid(seed: number, index: number): string {
  const hex = [1, 2, 3, 4]
    .map((n) =>
      hash32(seed, index, 500 + n)
        .toString(16)
        .padStart(8, "0"),
    )
    .join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The identity node of a person, or null. */
export function identityFor(person: Person, options: ResolvedOptions): ExternalIdentityNode | null {
  if (!hasIdentity(person, options)) return null;
  const rng = rngFor(options.seed, person.index, STREAM_IDENTITY);
  const login = person.cloudLogin;
  const given = { name: GIVEN_NAME_CLAIM, value: person.firstName };
  const base = {
    guid: guid(options.seed, person.index),
    user: login ? { login: rng.chance(0.2) ? login.toUpperCase() : login } : null,
  };
  if (person.category === "matchedSamlIdentity") {
    const e = rng.chance(0.6) ? person.email : emailVariant(person.email, rng);
    const saml = {
      nameId: `E${100000 + person.index}`,
      username: login,
      emails: [] as Array<{ value: string }>,
      attributes: [given],
    };
    let scim: ExternalIdentityNode["scimIdentity"] = null;
    // The emailaddress claim is the slot collectors most often forget, so it comes up often.
    const slot = rng.pick([
      "nameId",
      "username",
      "emails",
      "emailClaim",
      "emailClaim",
      "nameClaim",
      "scimUsername",
      "scimEmails",
    ] as const);
    if (slot === "nameId") saml.nameId = e;
    else if (slot === "username") saml.username = e;
    else if (slot === "emails") saml.emails = [{ value: e }];
    else if (slot === "emailClaim") saml.attributes = [given, { name: EMAIL_CLAIM, value: e }];
    else if (slot === "nameClaim") saml.attributes = [{ name: NAME_CLAIM, value: e }, given];
    else if (slot === "scimUsername") scim = { username: e, emails: [] };
    else scim = { username: login, emails: [{ value: e }] };
    return { ...base, samlIdentity: saml, scimIdentity: scim };
  }
  const e =
    person.category === "doubleCounted"
      ? `${person.firstName}_${person.lastName}${person.index}@${options.domain}`
      : person.email;
  if (person.category === "cloudOnly" && rng.chance(0.1)) {
    return { ...base, samlIdentity: null, scimIdentity: { username: e, emails: [{ value: e }] } };
  }
  return {
    ...base,
    samlIdentity: {
      nameId: e,
      username: rng.chance(0.5) ? e : login || null,
      emails: [{ value: e }],
      attributes: [given, { name: EMAIL_CLAIM, value: e }],
    },
    scimIdentity: null,
  };
}
