import { type CloudLicense, type ExternalIdentity, MATCH_RULES, type MatchRule } from "../shared/index.js";

/** The row a server person with this email key merges with, and the rule that merges it. */
export interface MatchEntry {
  rule: MatchRule;
  row: CloudLicense;
}

/** Email key -> the match it gives (docs/matching-rule.md, step 4). */
export type MatchIndex = Map<string, MatchEntry>;

const RANK: Readonly<Record<MatchRule, number>> = Object.fromEntries(
  MATCH_RULES.map((rule, rank) => [rule, rank]),
) as Record<MatchRule, number>;

/**
 * Keeps, per key, the rule tried first and, within that rule, the row earliest in GitHub's order,
 * whatever order keys arrive in: the row that trying the rules in order, each over its rows in
 * order, would find first.
 */
function offer(index: MatchIndex, key: string | null, rule: MatchRule, row: CloudLicense): void {
  if (key === null) return;
  const current = index.get(key);
  if (
    current === undefined ||
    RANK[rule] < RANK[current.rule] ||
    (current.rule === rule && row.index < current.row.index)
  )
    index.set(key, { rule, row });
}

/**
 * One lookup over the kept cloud rows for all five matching rules, so each server person costs
 * one map lookup. "First row found" means the first in GitHub's order, which keeps the result
 * independent of how server rows are ordered.
 */
export function buildMatchIndex(kept: CloudLicense[], identities: ExternalIdentity[]): MatchIndex {
  const index: MatchIndex = new Map();
  const byLogin = new Map<string, CloudLicense>();
  for (const row of kept) {
    if (row.login !== null && !byLogin.has(row.login.toLowerCase())) byLogin.set(row.login.toLowerCase(), row);
    offer(index, row.samlNameId, "samlNameId", row);
    for (const key of row.verifiedDomainEmails) offer(index, key, "verifiedDomainEmail", row);
    for (const key of row.serverEmails) offer(index, key, "linkedServerEmail", row);
    offer(index, row.visualStudioEmail, "visualStudioEmail", row);
  }
  for (const identity of identities) {
    const row = identity.login === null ? undefined : byLogin.get(identity.login.toLowerCase());
    if (!row) continue;
    for (const key of identity.emailKeys) offer(index, key, "samlIdentity", row);
  }
  return index;
}
