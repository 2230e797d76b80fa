import type { CloudLicense, ExternalIdentity, MatchRule } from "../shared/index.js";

/** Per rule, email key -> first kept cloud row carrying it (docs/matching-rule.md, step 4). */
export type MatchIndex = Record<MatchRule, Map<string, CloudLicense>>;

/** Keeps the row earliest in GitHub's order for a key, whatever order keys arrive in. */
function addFirst(map: Map<string, CloudLicense>, key: string | null, row: CloudLicense): void {
  if (key === null) return;
  const current = map.get(key);
  if (current === undefined || row.index < current.index) map.set(key, row);
}

/**
 * Builds one lookup per matching rule over the kept cloud rows, so each server person costs five
 * map lookups. "First row found" means the first in GitHub's order, which keeps the result
 * independent of how server rows are ordered.
 */
export function buildMatchIndex(kept: CloudLicense[], identities: ExternalIdentity[]): MatchIndex {
  const index: MatchIndex = {
    samlIdentity: new Map(),
    samlNameId: new Map(),
    verifiedDomainEmail: new Map(),
    linkedServerEmail: new Map(),
    visualStudioEmail: new Map(),
  };
  const byLogin = new Map<string, CloudLicense>();
  for (const row of kept) {
    if (row.login !== null && !byLogin.has(row.login.toLowerCase())) byLogin.set(row.login.toLowerCase(), row);
    addFirst(index.samlNameId, row.samlNameId, row);
    for (const key of row.verifiedDomainEmails) addFirst(index.verifiedDomainEmail, key, row);
    for (const key of row.serverEmails) addFirst(index.linkedServerEmail, key, row);
    addFirst(index.visualStudioEmail, row.visualStudioEmail, row);
  }
  for (const identity of identities) {
    const row = identity.login === null ? undefined : byLogin.get(identity.login.toLowerCase());
    if (!row) continue;
    for (const key of identity.emailKeys) addFirst(index.samlIdentity, key, row);
  }
  return index;
}
