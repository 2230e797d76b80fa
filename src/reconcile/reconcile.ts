import { keepCloudRows } from "./cloud-rows.js";
import { buildDiagnosisIndex, diagnose, type Diagnosis, type DiagnosisIndex } from "./diagnose.js";
import { buildMatchIndex, type MatchEntry } from "./match-index.js";
import {
  MATCH_RULES,
  type MatchedPerson,
  type ReconcileInput,
  type Report,
  type ServerAccount,
  type ServerOnlyPerson,
  type ServerSummary,
  UNMERGED_REASONS,
} from "../shared/index.js";
import { ServerPersonIndex, accountRefsOf, hostsOf, type ServerPerson } from "./server-persons.js";

/**
 * A person's hosts as one array shared by every person on the same hosts in the same order: the
 * report holds hundreds of thousands of people and a handful of distinct host lists.
 */
function sharedHostLists(): (person: ServerPerson) => string[] {
  const lists = new Map<string, string[]>();
  return (person) => {
    const hosts = hostsOf(person);
    const key = hosts.length === 1 ? hosts[0]! : hosts.join("\n");
    const shared = lists.get(key);
    if (shared) return shared;
    lists.set(key, hosts);
    return hosts;
  };
}

/**
 * A server-only person as the report holds it. Written out property by property, in the report's
 * order: an object built from spreads (`{ ...email, hosts, ...diagnosis }`) takes several times the
 * memory, and a report holds hundreds of thousands of them.
 */
function serverOnlyPerson(
  person: ServerPerson,
  hosts: string[],
  accounts: string[],
  diagnosis: Diagnosis,
): ServerOnlyPerson {
  const { reason, likelyCloudLogin, doubleCountLikelihood } = diagnosis;
  const maskedEmail = person.email?.masked ?? null;
  const email = person.email?.email;
  const reported: ServerOnlyPerson = email
    ? { maskedEmail, email, hosts, accounts, reason, likelyCloudLogin, doubleCountLikelihood }
    : { maskedEmail, hosts, accounts, reason, likelyCloudLogin, doubleCountLikelihood };
  if (diagnosis.unverifiedDomain !== undefined) reported.unverifiedDomain = diagnosis.unverifiedDomain;
  return reported;
}

/** A merged person as per-person exports hold it (see `serverOnlyPerson`). */
function matchedPerson(person: ServerPerson, hosts: string[], match: MatchEntry): MatchedPerson {
  const maskedEmail = person.email?.masked ?? null;
  const email = person.email?.email;
  const accounts = accountRefsOf(person);
  const { rule: matchedBy, row } = match;
  return email
    ? { maskedEmail, email, hosts, accounts, matchedBy, cloudLogin: row.login, cloudIndex: row.index }
    : { maskedEmail, hosts, accounts, matchedBy, cloudLogin: row.login, cloudIndex: row.index };
}

/** Empties the diagnosis lookups once every person is diagnosed, so their memory is free for the report. */
function releaseDiagnosisIndex(index: DiagnosisIndex): void {
  index.linkedAccount.clear();
  index.cloudHandle.clear();
  index.identityHandle.clear();
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
  /**
   * The report; once only (the persons are let go as it is built). `perPerson: false` leaves
   * `matched` and `cloudRows` empty: only per-person exports need them.
   */
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
 * The diagnosis lookups are cloud-side too, so what an account's handle keys point at is noted
 * as it arrives and the keys are dropped with it.
 *
 * @example
 *   const run = startReconciliation({ collectedHosts: ["ghes-a"], cloud });
 *   for await (const account of readAllUsersCsv(...)) run.addServerAccount(account);
 *   run.finish().totals.uniqueUsers
 */
export function startReconciliation(input: Omit<ReconcileInput, "serverAccounts">): Reconciliation {
  // The methods below keep only what the report needs, not `input`: the identities (a few hundred
  // thousand at a large enterprise) live on in the lookups alone, and may be let go while
  // accounts stream in.
  const { cloud, collectedHosts } = input;
  const identities = input.identities ?? [];
  // 3. kept cloud rows, and the lookups for 4 and 6
  const { kept, replaced } = keepCloudRows(cloud.licenses, new Set(collectedHosts));
  const matchIndex = buildMatchIndex(kept, identities);
  const diagnosisIndex = buildDiagnosisIndex(kept, identities, verifiedDomainsOf(input));
  // 2. persons, 4. their matches as they appear
  const persons = new ServerPersonIndex((key): MatchEntry | null => matchIndex.get(key) ?? null, diagnosisIndex);
  return {
    addServerAccount(account) {
      persons.add(account);
    },
    finish({ perPerson = true } = {}) {
      // Every person's match was decided as it appeared: the index of every cloud email key (a
      // few per row, each with its entry) goes now, before the report is built beside it.
      matchIndex.clear();
      const hostsOfPerson = sharedHostLists();
      const matchedBy = zeroCounts(MATCH_RULES);
      const reasons = zeroCounts(UNMERGED_REASONS);
      const people: ServerOnlyPerson[] = [];
      const matched: MatchedPerson[] = [];
      const perHost = new Map<string, { persons: number; matched: number }>();
      for (const host of [...collectedHosts, ...persons.accountsPerHost.keys()]) {
        if (!perHost.has(host)) perHost.set(host, { persons: 0, matched: 0 });
      }
      for (const person of persons.drain()) {
        const match = person.match;
        const hosts = hostsOfPerson(person);
        for (const host of hosts) {
          const counts = perHost.get(host)!;
          counts.persons++;
          if (match) counts.matched++;
        }
        if (match) {
          matchedBy[match.rule]++;
          // A merged person's email and accounts are reported only in per-person exports.
          if (perPerson) matched.push(matchedPerson(person, hosts, match));
          continue;
        }
        // 6. diagnosis
        const accounts = accountRefsOf(person);
        const diagnosis = diagnose(person, accounts, diagnosisIndex);
        reasons[diagnosis.reason]++;
        people.push(serverOnlyPerson(person, hosts, accounts, diagnosis));
      }
      // Every person is diagnosed: the lookups (a handle key of every cloud row among them) go too.
      releaseDiagnosisIndex(diagnosisIndex);
      people.sort(
        (a, b) => b.doubleCountLikelihood - a.doubleCountLikelihood || (a.accounts[0]! < b.accounts[0]! ? -1 : 1),
      );
      // 5. totals
      const totals = {
        seatsPurchased: cloud.seatsPurchased,
        seatsConsumedReported: cloud.seatsConsumed,
        cloudUsers: kept.length,
        serverOnlyUsers: people.length,
        uniqueUsers: kept.length + people.length,
        matchedBy,
        replacedCloudRows: replaced,
        partial: cloud.completeness === "partial",
        completenessChecked: cloud.completeness !== "unchecked",
        cloudRowsRead: cloud.licenses.length,
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
