import { keepCloudRows } from "./cloud-rows.js";
import { buildDiagnosisIndex, diagnose } from "./diagnose.js";
import { buildMatchIndex, type MatchIndex } from "./match-index.js";
import {
  type CloudLicense,
  MATCH_RULES,
  type MatchedPerson,
  type MatchRule,
  type ReconcileInput,
  type Report,
  type ServerAccount,
  type ServerOnlyPerson,
  type ServerSummary,
  UNMERGED_REASONS,
} from "../shared/index.js";
import { ServerPersonIndex, hostsOf, type ServerPerson } from "./server-persons.js";

function findMatch(person: ServerPerson, index: MatchIndex): { rule: MatchRule; row: CloudLicense } | null {
  if (!person.email) return null;
  for (const rule of MATCH_RULES) {
    const row = index[rule].get(person.email.key);
    if (row) return { rule, row };
  }
  return null;
}

/** Verified domains as given, else those seen in GitHub's verified-domain emails, else unknown. */
function verifiedDomainsOf(input: Omit<ReconcileInput, "serverAccounts">): ReadonlySet<string> | null {
  if (input.verifiedDomains) return new Set(input.verifiedDomains.map((d) => d.trim().toLowerCase()));
  const seen = input.cloud.verifiedEmailDomains;
  return seen.length > 0 ? new Set(seen) : null;
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** A reconciliation fed one server account at a time (see `startReconciliation`). */
export interface Reconciliation {
  addServerAccount(account: ServerAccount): void;
  /** `perPerson: false` leaves `matched` and `cloudRows` empty: only per-person exports need them. */
  finish(options?: { perPerson?: boolean }): Report;
}

/**
 * The unique-user engine: pure, no I/O. docs/matching-rule.md, rule by rule:
 *  1. normalize emails (done by readers, see email.ts; the engine compares keys)
 *  2. group billable server accounts into persons by primary email
 *  3. keep cloud rows, dropping stale server-only rows of collected hosts
 *  4. match each server person to the first kept cloud row, rule by rule
 *  5. unique users = kept cloud rows + unmatched server persons
 *  6. diagnose every unmatched person
 * Divergences are the next stage's (`detectDivergences`, src/reconcile/divergences): `divergences` is empty here.
 *
 * Cloud rows come first so server accounts can stream through: a person's match depends only on
 * its email key, so it is decided once, when the person first appears, and accounts are dropped.
 *
 * @example
 *   const run = startReconciliation({ collectedHosts: ["ghes-a"], cloud });
 *   for await (const account of readAllUsersCsv(...)) run.addServerAccount(account);
 *   run.finish().totals.uniqueUsers
 */
export function startReconciliation(input: Omit<ReconcileInput, "serverAccounts">): Reconciliation {
  const identities = input.identities ?? [];
  // 3. kept cloud rows, and the lookups for 4 and 6
  const { kept, replaced } = keepCloudRows(input.cloud.licenses, new Set(input.collectedHosts));
  const matchIndex = buildMatchIndex(kept, identities);
  // 2. persons, 4. their matches as they appear
  const persons = new ServerPersonIndex();
  return {
    addServerAccount(account) {
      const person = persons.add(account);
      if (person) person.match = findMatch(person, matchIndex);
    },
    finish({ perPerson = true } = {}) {
      const diagnosisIndex = buildDiagnosisIndex(kept, identities, verifiedDomainsOf(input));
      const matchedBy = zeroCounts(MATCH_RULES);
      const reasons = zeroCounts(UNMERGED_REASONS);
      const people: ServerOnlyPerson[] = [];
      const matched: MatchedPerson[] = [];
      const perHost = new Map<string, { persons: number; matched: number }>();
      for (const host of [...input.collectedHosts, ...persons.accountsPerHost.keys()]) {
        if (!perHost.has(host)) perHost.set(host, { persons: 0, matched: 0 });
      }
      for (const person of persons.persons) {
        const match = person.match;
        const hosts = hostsOf(person);
        for (const host of hosts) {
          const counts = perHost.get(host)!;
          counts.persons++;
          if (match) counts.matched++;
        }
        const accounts = person.accounts.sort();
        const emailFields = {
          maskedEmail: person.email?.masked ?? null,
          ...(person.email?.email ? { email: person.email.email } : {}),
        };
        if (match) {
          matchedBy[match.rule]++;
          if (perPerson)
            matched.push({
              ...emailFields,
              hosts,
              accounts,
              matchedBy: match.rule,
              cloudLogin: match.row.login,
              cloudIndex: match.row.index,
            });
          continue;
        }
        // 6. diagnosis
        const diagnosis = diagnose(person, diagnosisIndex);
        reasons[diagnosis.reason]++;
        people.push({ ...emailFields, hosts, accounts, ...diagnosis });
      }
      people.sort(
        (a, b) => b.doubleCountLikelihood - a.doubleCountLikelihood || (a.accounts[0]! < b.accounts[0]! ? -1 : 1),
      );
      // 5. totals
      const totals = {
        seatsPurchased: input.cloud.seatsPurchased,
        seatsConsumedReported: input.cloud.seatsConsumed,
        cloudUsers: kept.length,
        serverOnlyUsers: people.length,
        uniqueUsers: kept.length + people.length,
        matchedBy,
        replacedCloudRows: replaced,
        partial: input.cloud.completeness === "partial",
        completenessChecked: input.cloud.completeness !== "unchecked",
        cloudRowsRead: input.cloud.licenses.length,
      };
      const servers: ServerSummary[] = [...perHost.entries()].map(([hostname, counts]) => {
        const seen = persons.accountsPerHost.get(hostname) ?? { accounts: 0, billable: 0 };
        return {
          hostname,
          accounts: seen.accounts,
          billableAccounts: seen.billable,
          persons: counts.persons,
          matchedToCloud: counts.matched,
          serverOnly: counts.persons - counts.matched,
        };
      });
      const cloudRows = !perPerson
        ? []
        : kept.map((row) => ({
            index: row.index,
            login: row.login,
            githubComUser: row.githubComUser,
            hosts: [...new Set(row.serverUserIds.map((id) => id.hostname))],
          }));
      return { totals, servers, people, matched, cloudRows, reasons, divergences: [] };
    },
  };
}

/** One-shot form of `startReconciliation` for inputs already in memory. */
export function reconcile(input: ReconcileInput): Report {
  const run = startReconciliation(input);
  for (const account of input.serverAccounts) run.addServerAccount(account);
  return run.finish();
}
