import type { CloudLicense, MatchRule, ProtectedEmail, ServerAccount } from "../shared/index.js";

/** docs/matching-rule.md, step 2: who consumes a GHES seat. */
export function isBillable(account: ServerAccount): boolean {
  return account.licensable && !account.suspended;
}

/**
 * One human on the server side: every billable account sharing a normalized primary email.
 * Holds only what the report needs of its accounts, so accounts can be streamed and dropped:
 * each account as its hostname (one shared string per host) and id, side by side, and the
 * handle keys only while the person has not merged (only the diagnosis of an unmerged one reads them).
 */
export interface ServerPerson {
  email: ProtectedEmail | null;
  /** Hostname of each account, in the order seen. */
  accountHosts: string[];
  /** GHES user id of each account, beside `accountHosts`. */
  accountIds: number[];
  /** Union of the accounts' handle keys (look-alike diagnosis); left as it was once the person merged. */
  handleKeys: string[];
  /** The rule and cloud row it merged with; null while (or when) it merged with none. */
  match: { rule: MatchRule; row: CloudLicense } | null;
}

/**
 * `host:id` of an account, as the report writes it. Built by `join`, which makes one flat string
 * where a template literal makes a rope: the report sorts people by these, and comparing or
 * hashing a rope flattens it first, every time.
 */
export function accountRef(hostname: string, id: number): string {
  return [hostname, id].join(":");
}

/** `host:id` of each of a person's accounts, sorted (the report's `accounts`). */
export function accountRefsOf(person: ServerPerson): string[] {
  const refs = person.accountIds.map((id, i) => accountRef(person.accountHosts[i]!, id));
  return refs.length > 1 ? refs.sort() : refs;
}

/** Hosts of a person's accounts, in first-seen order. */
export function hostsOf(person: ServerPerson): string[] {
  const hosts = person.accountHosts;
  if (hosts.length === 1) return [hosts[0]!];
  const unique: string[] = [];
  for (const host of hosts) if (!unique.includes(host)) unique.push(host);
  return unique;
}

/** Accounts seen on one host; `hostname` is the one string every person of that host shares. */
interface HostCounts {
  hostname: string;
  accounts: number;
  billable: number;
}

/**
 * docs/matching-rule.md, step 2, incrementally: billable accounts with the same normalized primary email are one
 * person, across instances; an account without an email is a person of its own.
 */
export class ServerPersonIndex {
  /** Every person, in the order first seen. */
  readonly persons: ServerPerson[] = [];
  /** Per hostname: every account seen, and the billable ones. */
  readonly accountsPerHost = new Map<string, HostCounts>();
  private readonly byEmail = new Map<string, ServerPerson>();

  /** Adds one account; returns its person when the account is billable and starts a new person. */
  add(account: ServerAccount): ServerPerson | undefined {
    let counts = this.accountsPerHost.get(account.hostname);
    if (!counts)
      this.accountsPerHost.set(account.hostname, (counts = { hostname: account.hostname, accounts: 0, billable: 0 }));
    counts.accounts++;
    if (!isBillable(account)) return undefined;
    counts.billable++;
    const key = account.primaryEmail?.key;
    const person = key === undefined ? undefined : this.byEmail.get(key);
    if (!person) {
      // Array literals, not `[]` + push: V8 gives a pushed-to array room for 17 elements, which at
      // a million accounts is most of the engine's memory. Arrays grow by `concat`, which sizes the
      // copy exactly, for the same reason (a spread `[...a, b]` leaves room to spare, like push).
      const created: ServerPerson = {
        email: account.primaryEmail,
        accountHosts: [counts.hostname],
        accountIds: [account.id],
        handleKeys: account.handleKeys,
        match: null,
      };
      this.persons.push(created);
      if (key !== undefined) this.byEmail.set(key, created);
      return created;
    }
    person.accountHosts = person.accountHosts.concat(counts.hostname);
    person.accountIds = person.accountIds.concat(account.id);
    if (person.match !== null) return undefined;
    const newHandles = account.handleKeys.filter((handle) => !person.handleKeys.includes(handle));
    if (newHandles.length > 0) person.handleKeys = person.handleKeys.concat(newHandles);
    return undefined;
  }
}
