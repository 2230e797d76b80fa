import type { CloudLicense, MatchRule, ProtectedEmail, ServerAccount } from "../shared/index.js";

/** docs/matching-rule.md, step 2: who consumes a GHES seat. */
export function isBillable(account: ServerAccount): boolean {
  return account.licensable && !account.suspended;
}

/**
 * One human on the server side: every billable account sharing a normalized primary email.
 * Holds only what the report needs of its accounts, so accounts can be streamed and dropped.
 */
export interface ServerPerson {
  email: ProtectedEmail | null;
  /** `host:id` of each account. */
  accounts: string[];
  /** Union of the accounts' handle keys (look-alike diagnosis). */
  handleKeys: string[];
  /** The rule and cloud row it merged with; null while (or when) it merged with none. */
  match: { rule: MatchRule; row: CloudLicense } | null;
}

/** Hosts of a person's accounts, in first-seen order. */
export function hostsOf(person: ServerPerson): string[] {
  const hosts: string[] = [];
  for (const ref of person.accounts) {
    const host = ref.slice(0, ref.lastIndexOf(":"));
    if (!hosts.includes(host)) hosts.push(host);
  }
  return hosts;
}

/**
 * docs/matching-rule.md, step 2, incrementally: billable accounts with the same normalized primary email are one
 * person, across instances; an account without an email is a person of its own.
 */
export class ServerPersonIndex {
  /** Every person, in the order first seen. */
  readonly persons: ServerPerson[] = [];
  /** Per hostname: every account seen, and the billable ones. */
  readonly accountsPerHost = new Map<string, { accounts: number; billable: number }>();
  private readonly byEmail = new Map<string, ServerPerson>();

  /** Adds one account; returns its person when the account is billable and starts a new person. */
  add(account: ServerAccount): ServerPerson | undefined {
    let counts = this.accountsPerHost.get(account.hostname);
    if (!counts) this.accountsPerHost.set(account.hostname, (counts = { accounts: 0, billable: 0 }));
    counts.accounts++;
    if (!isBillable(account)) return undefined;
    counts.billable++;
    const key = account.primaryEmail?.key;
    const ref = `${account.hostname}:${account.id}`;
    const person = key === undefined ? undefined : this.byEmail.get(key);
    if (!person) {
      // Array literals, not `[]` + push: V8 gives a pushed-to empty array room for 17 elements,
      // which at a million accounts is most of the engine's memory.
      const created: ServerPerson = {
        email: account.primaryEmail,
        accounts: [ref],
        handleKeys: account.handleKeys,
        match: null,
      };
      this.persons.push(created);
      if (key !== undefined) this.byEmail.set(key, created);
      return created;
    }
    person.accounts.push(ref);
    const newHandles = account.handleKeys.filter((handle) => !person.handleKeys.includes(handle));
    if (newHandles.length > 0) person.handleKeys = [...person.handleKeys, ...newHandles];
    return undefined;
  }
}
