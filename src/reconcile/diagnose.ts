import type { CloudLicense, ExternalIdentity, UnmergedReason } from "../shared/report.js";
import type { ServerPerson } from "./server-persons.js";

/** Lookups that explain why a server person merged with nothing. */
export interface DiagnosisIndex {
  /** `host:id` -> kept GHEC row that GitHub linked to that server account at an earlier sync. */
  linkedAccount: Map<string, CloudLicense>;
  /** Handle key -> GHEC login of an identity linked to a kept row. */
  identityHandle: Map<string, string>;
  /** Handle key -> kept row of a GHEC account. */
  cloudHandle: Map<string, CloudLicense>;
  /** Verified domains; null when unknown (then no domain-based diagnosis is made). */
  verifiedDomains: ReadonlySet<string> | null;
}

export interface Diagnosis {
  reason: UnmergedReason;
  likelyCloudLogin: string | null;
  fix: string;
  doubleCountLikelihood: number;
}

function setFirst<V>(map: Map<string, V>, key: string, value: V): void {
  if (!map.has(key)) map.set(key, value);
}

export function buildDiagnosisIndex(
  kept: CloudLicense[],
  identities: ExternalIdentity[],
  verifiedDomains: ReadonlySet<string> | null,
): DiagnosisIndex {
  const linkedAccount = new Map<string, CloudLicense>();
  const cloudHandle = new Map<string, CloudLicense>();
  const keptLogins = new Map<string, string>();
  for (const row of kept) {
    if (!row.githubComUser || row.login === null) continue;
    keptLogins.set(row.login.toLowerCase(), row.login);
    for (const id of row.serverUserIds) setFirst(linkedAccount, `${id.hostname}:${id.id}`, row);
    for (const key of row.handleKeys) setFirst(cloudHandle, key, row);
  }
  const identityHandle = new Map<string, string>();
  for (const identity of identities) {
    const login = identity.login === null ? undefined : keptLogins.get(identity.login.toLowerCase());
    if (login === undefined) continue;
    for (const key of identity.handleKeys) setFirst(identityHandle, key, login);
  }
  return { linkedAccount, identityHandle, cloudHandle, verifiedDomains };
}

function firstHit<V>(map: Map<string, V>, keys: Iterable<string>): V | undefined {
  for (const key of keys) {
    const hit = map.get(key);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * docs/matching-rule.md, step 6: the most likely reason a server person did not merge, and what an admin can do.
 * Reasons are tried from the strongest evidence of a double count to the weakest.
 */
export function diagnose(person: ServerPerson, index: DiagnosisIndex): Diagnosis {
  const domain = person.email?.domain ?? null;
  const domainVerified = domain === null || index.verifiedDomains === null ? null : index.verifiedDomains.has(domain);
  const handles = person.handleKeys;

  const linked = firstHit(index.linkedAccount, person.accounts);
  if (linked && person.email) {
    return {
      reason: "linkedAccountEmailChanged",
      likelyCloudLogin: linked.login,
      fix: `GitHub linked this account to ${linked.login} at an earlier sync, but its primary email no longer matches any of ${linked.login}'s emails. Set the GHES primary email to an address verified on ${linked.login}, or have ${linked.login} add and verify this address, then sync.`,
      doubleCountLikelihood: 95,
    };
  }
  if (!person.email) {
    const login = linked?.login ?? firstHit(index.cloudHandle, handles)?.login ?? null;
    return {
      reason: "noEmail",
      likelyCloudLogin: login,
      fix: `The account has no primary email, so it can never merge${login ? ` (it looks like ${login})` : ""}. Set a primary email on GHES that is verified on the person's GitHub.com account.`,
      doubleCountLikelihood: login ? 80 : 30,
    };
  }
  const identityLogin = firstHit(index.identityHandle, handles);
  if (identityLogin !== undefined) {
    return {
      reason: "identityEmailDiffers",
      likelyCloudLogin: identityLogin,
      fix: `${identityLogin}'s SAML/SCIM identity resembles this account but carries a different email. Make the IdP's NameID or email attribute equal the GHES primary email (or change the GHES primary email to the IdP's), then sync.`,
      doubleCountLikelihood: 90,
    };
  }
  const similar = firstHit(index.cloudHandle, handles);
  if (similar) {
    const fix =
      domainVerified === false
        ? `${similar.login} looks like the same person but has no verified email equal to this one, and ${domain} is not a verified domain. Verify ${domain} for the enterprise and have ${similar.login} add and verify this address on GitHub.com.`
        : `${similar.login} looks like the same person but has no verified email equal to this one. Have ${similar.login} add and verify this address on GitHub.com, or set the GHES primary email to one ${similar.login} has verified.`;
    return { reason: "similarCloudAccount", likelyCloudLogin: similar.login, fix, doubleCountLikelihood: 75 };
  }
  if (domainVerified === false) {
    return {
      reason: "domainNotVerified",
      likelyCloudLogin: null,
      fix: `${domain} is not a verified domain of the enterprise, so GitHub cannot see a matching cloud email even if one exists. Verify ${domain} (Enterprise settings > Verified & approved domains).`,
      doubleCountLikelihood: 40,
    };
  }
  return {
    reason: "noCloudAccount",
    likelyCloudLogin: null,
    fix: "No cloud account resembles this person: a genuine server-only user consuming one seat. Nothing to fix unless they also use GitHub.com.",
    doubleCountLikelihood: 5,
  };
}
