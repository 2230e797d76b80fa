import type { Dataset } from "./dataset.js";
import { MATCH_RULE_NAMES, type ConsumedLicenseRow, type Expected, type MatchRuleName } from "./dataset-types.js";
import { EMAIL_CLAIM, NAME_CLAIM } from "./identities.js";

/**
 * A deliberately naive implementation of docs/matching-rule.md over the dataset's raw outputs
 * (CSV rows, JSON rows, identity nodes), for tests only: it checks the dataset's by-construction
 * `expected` by actually matching emails, so an accidental match in the generator shows up.
 */
const norm = (value: string | null | undefined): string | null => {
  const email = (value ?? "").trim().toLowerCase();
  return email === "" ? null : email;
};
const truthy = (value: string): boolean => ["true", "yes", "1"].includes(value.trim().toLowerCase());

function rowEmails(row: ConsumedLicenseRow): Record<Exclude<MatchRuleName, "samlIdentity">, string[]> {
  const linked = [...(row.enterprise_server_emails ?? []), ...(row.enterprise_server_primary_emails ?? [])];
  return {
    samlNameId: [row.github_com_saml_name_id ?? ""],
    verifiedDomainEmail: row.github_com_verified_domain_emails,
    linkedServerEmail: linked,
    visualStudioEmail: [row.visual_studio_subscription_email ?? ""],
  };
}

/** Totals by matching, in the shape of `Dataset.expected`. */
export function referenceTotals(ds: Dataset): Expected {
  const collected = new Set(ds.options.collectedHosts);
  const persons = new Set<string>();
  let anonymous = 0;
  const perHost: Expected["perHost"] = {};
  for (const host of ds.options.collectedHosts) {
    const counts = (perHost[host] = { accounts: 0, billableAccounts: 0 });
    for (const row of ds.ghesAccounts(host)) {
      counts.accounts++;
      if (truthy(row["suspended?"]) || row.login === "ghost" || row.login === "scim-admin") continue;
      counts.billableAccounts++;
      const email = norm(row.email);
      if (email === null) anonymous++;
      else persons.add(email);
    }
  }
  const kept: ConsumedLicenseRow[] = [];
  let total = 0;
  for (const row of ds.consumedLicenseRows()) {
    total++;
    const hosts = row.enterprise_server_user_ids.map((id) => id.slice(0, id.lastIndexOf(":")));
    const stale =
      row.github_com_user !== true &&
      row.visual_studio_subscription_user !== true &&
      hosts.length > 0 &&
      hosts.every((h) => collected.has(h));
    if (!stale) kept.push(row);
  }
  const index = Object.fromEntries(MATCH_RULE_NAMES.map((rule) => [rule, new Set<string>()])) as Record<
    MatchRuleName,
    Set<string>
  >;
  const keptLogins = new Set(kept.map((row) => row.github_com_login.toLowerCase()).filter((login) => login !== ""));
  for (const row of kept) {
    for (const [rule, emails] of Object.entries(rowEmails(row))) {
      for (const email of emails) if (norm(email)) index[rule as MatchRuleName].add(norm(email) ?? "");
    }
  }
  for (const node of ds.externalIdentities()) {
    if (!node.user || !keptLogins.has(node.user.login.toLowerCase())) continue;
    const saml = node.samlIdentity;
    const values = [
      saml?.nameId,
      saml?.username,
      ...(saml?.emails.map((e) => e.value) ?? []),
      ...(saml?.attributes.filter((a) => a.name === NAME_CLAIM || a.name === EMAIL_CLAIM).map((a) => a.value) ?? []),
      node.scimIdentity?.username,
      ...(node.scimIdentity?.emails.map((e) => e.value) ?? []),
    ];
    for (const value of values) if (norm(value)) index.samlIdentity.add(norm(value) ?? "");
  }
  const matchedBy = Object.fromEntries(MATCH_RULE_NAMES.map((rule) => [rule, 0])) as Record<MatchRuleName, number>;
  let serverOnly = anonymous;
  for (const email of persons) {
    const rule = MATCH_RULE_NAMES.find((r) => index[r].has(email));
    if (rule) matchedBy[rule]++;
    else serverOnly++;
  }
  return {
    uniqueUsers: kept.length + serverOnly,
    cloudUsers: kept.length,
    serverOnlyUsers: serverOnly,
    replacedCloudRows: total - kept.length,
    totalSeatsConsumed: total,
    seatsPurchased: ds.options.seatsPurchased,
    matchedBy,
    perHost,
  };
}
