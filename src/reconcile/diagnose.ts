import type { CloudLicense, ExternalIdentity, UnmergedReason } from "../shared/index.js";
import { accountRef, firstHit, type HandleIndex, type ServerPerson } from "./server-persons.js";

/**
 * Lookups that explain why a server person merged with nothing. The handle lookups are read as
 * accounts arrive (`ServerPersonIndex`), the rest when the person is diagnosed.
 */
export interface DiagnosisIndex extends HandleIndex {
  /** `host:id` -> kept GHEC row that GitHub linked to that server account at an earlier sync. */
  linkedAccount: Map<string, CloudLicense>;
  /** Verified domains; null when unknown (then no domain-based diagnosis is made). */
  verifiedDomains: ReadonlySet<string> | null;
}

/**
 * Why a server person merged with nothing, as codes and figures: publish writes the fix
 * (src/publish/render/diagnosis-fix.ts).
 */
export interface Diagnosis {
  reason: UnmergedReason;
  likelyCloudLogin: string | null;
  doubleCountLikelihood: number;
  /** The email's domain when the fix is to verify it (`similarCloudAccount`, `domainNotVerified`). */
  unverifiedDomain?: string;
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
    for (const id of row.serverUserIds) setFirst(linkedAccount, accountRef(id.hostname, id.id), row);
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

/**
 * docs/matching-rule.md, step 6: the most likely reason a server person did not merge, and what
 * points at the fix (the cloud login it resembles, a domain to verify). Reasons are tried from the
 * strongest evidence of a double count to the weakest.
 *
 * `accounts` are the person's `host:id`, sorted (`accountRefsOf`): the first linked one names the login.
 *
 * @example diagnose(person, accountRefsOf(person), buildDiagnosisIndex(kept, identities, verifiedDomains)) // { reason: "noCloudAccount", likelyCloudLogin: null, doubleCountLikelihood: 5 }
 */
export function diagnose(person: ServerPerson, accounts: string[], index: DiagnosisIndex): Diagnosis {
  const domain = person.email?.domain ?? null;
  const domainVerified = domain === null || index.verifiedDomains === null ? null : index.verifiedDomains.has(domain);
  const unverified = domainVerified === false && domain !== null ? { unverifiedDomain: domain } : {};

  const linked = firstHit(index.linkedAccount, accounts);
  if (linked && person.email)
    return { reason: "linkedAccountEmailChanged", likelyCloudLogin: linked.login, doubleCountLikelihood: 95 };
  if (!person.email) {
    const login = linked?.login ?? person.similarRow?.login ?? null;
    return { reason: "noEmail", likelyCloudLogin: login, doubleCountLikelihood: login ? 80 : 30 };
  }
  if (person.identityLogin !== null)
    return { reason: "identityEmailDiffers", likelyCloudLogin: person.identityLogin, doubleCountLikelihood: 90 };
  const similar = person.similarRow;
  if (similar)
    return { reason: "similarCloudAccount", likelyCloudLogin: similar.login, doubleCountLikelihood: 75, ...unverified };
  if (domainVerified === false)
    return { reason: "domainNotVerified", likelyCloudLogin: null, doubleCountLikelihood: 40, ...unverified };
  return { reason: "noCloudAccount", likelyCloudLogin: null, doubleCountLikelihood: 5 };
}
