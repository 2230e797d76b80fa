import type { ResolvedOptions } from "./dataset-options.js";
import {
  CATEGORIES,
  MATCH_RULE_NAMES,
  RULE_OF_CATEGORY,
  type Category,
  type Expected,
  type MatchRuleName,
} from "./dataset-types.js";
import { staleRowHosts } from "./cloud-rows.js";
import { isBillableAccount, specialAccounts } from "./ghes-rows.js";
import type { Person, ServerAccount } from "./people.js";

/** Per host: what the instance itself reports about its accounts. */
export interface HostCensus {
  accounts: number;
  billableAccounts: number;
  adminUsers: number;
  suspendedUsers: number;
}

/** One pass over every person: the truths tests and endpoints need, known by construction. */
export interface Census {
  categories: Record<Category, number>;
  consumedLicenses: number;
  /** Identities per IdP: key "" is the enterprise's, other keys are organization logins. */
  identities: Record<string, number>;
  perHost: Record<string, HostCensus>;
  expected: Expected;
}

/**
 * Walks persons once and derives the expected totals from each person's category, not by
 * matching emails: a matched category is matched by the rule it was built for, a stale row is
 * replaced exactly when all hosts it names are collected, and so on (docs/matching-rule.md). The matching
 * in the tests is the independent check of this arithmetic.
 */
export function takeCensus(
  options: ResolvedOptions,
  persons: Iterable<Person>,
  identityOf: (person: Person) => { scope: string | null } | null,
): Census {
  const collected = new Set(options.collectedHosts);
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const matchedBy = Object.fromEntries(MATCH_RULE_NAMES.map((r) => [r, 0])) as Record<MatchRuleName, number>;
  const perHost: Record<string, HostCensus> = {};
  const identities: Record<string, number> = {};
  const count = (account: ServerAccount): void => {
    const host = (perHost[account.host] ??= { accounts: 0, billableAccounts: 0, adminUsers: 0, suspendedUsers: 0 });
    host.accounts++;
    if (isBillableAccount(account)) host.billableAccounts++;
    if (account.role === "admin") host.adminUsers++;
    if (account.suspended) host.suspendedUsers++;
  };
  const now = Date.parse(options.now);
  for (const host of options.hosts) specialAccounts(host, now).forEach(count);
  let rows = 0;
  let replaced = 0;
  let serverOnly = 0;
  for (const person of persons) {
    categories[person.category]++;
    person.accounts.forEach(count);
    if (person.extra) count(person.extra);
    const identity = identityOf(person);
    if (identity) identities[identity.scope ?? ""] = (identities[identity.scope ?? ""] ?? 0) + 1;

    let rowReplaced = false;
    if (person.category !== "serverOnlyUnsynced") {
      rows++;
      const hosts = staleRowHosts(person);
      rowReplaced = hosts.length > 0 && hosts.every((h) => collected.has(h));
      if (rowReplaced) replaced++;
    }
    if (person.extra && isBillableAccount(person.extra) && collected.has(person.extra.host)) serverOnly++;
    if (!person.accounts.some((a) => collected.has(a.host))) continue;
    const category = person.category;
    if (category in RULE_OF_CATEGORY) matchedBy[RULE_OF_CATEGORY[category as keyof typeof RULE_OF_CATEGORY]]++;
    else if (category === "serverOnlyFresh" && !rowReplaced) matchedBy.linkedServerEmail++;
    else serverOnly++;
  }
  const cloudUsers = rows - replaced;
  const expectedPerHost: Expected["perHost"] = {};
  for (const host of options.collectedHosts) {
    const seen = perHost[host];
    expectedPerHost[host] = { accounts: seen?.accounts ?? 0, billableAccounts: seen?.billableAccounts ?? 0 };
  }
  return {
    categories,
    consumedLicenses: rows,
    identities,
    perHost,
    expected: {
      uniqueUsers: cloudUsers + serverOnly,
      cloudUsers,
      serverOnlyUsers: serverOnly,
      replacedCloudRows: replaced,
      totalSeatsConsumed: rows,
      seatsPurchased: options.seatsPurchased,
      matchedBy,
      perHost: expectedPerHost,
    },
  };
}
