import type { ProtectedEmail, ServerAccount } from "./model.js";

/** One human on the server side: every billable account sharing a normalized primary email. */
export interface ServerPerson {
  email: ProtectedEmail | null;
  accounts: ServerAccount[];
  hosts: string[];
}

/** DOMAIN.md section 2: who consumes a GHES seat. */
export function isBillable(account: ServerAccount): boolean {
  return account.licensable && !account.suspended;
}

export interface ServerGrouping {
  persons: ServerPerson[];
  /** Per hostname: every account seen, and the billable ones. */
  accountsPerHost: Map<string, { accounts: number; billable: number }>;
}

/**
 * DOMAIN.md 3.2: billable accounts with the same normalized primary email are one person,
 * across instances; an account without an email is a person of its own.
 */
export function groupServerPersons(accounts: Iterable<ServerAccount>): ServerGrouping {
  const byEmail = new Map<string, ServerPerson>();
  const persons: ServerPerson[] = [];
  const accountsPerHost = new Map<string, { accounts: number; billable: number }>();
  for (const account of accounts) {
    let counts = accountsPerHost.get(account.hostname);
    if (!counts) accountsPerHost.set(account.hostname, (counts = { accounts: 0, billable: 0 }));
    counts.accounts++;
    if (!isBillable(account)) continue;
    counts.billable++;
    const key = account.primaryEmail?.key;
    let person = key === undefined ? undefined : byEmail.get(key);
    if (!person) {
      person = { email: account.primaryEmail, accounts: [], hosts: [] };
      persons.push(person);
      if (key !== undefined) byEmail.set(key, person);
    }
    person.accounts.push(account);
    if (!person.hosts.includes(account.hostname)) person.hosts.push(account.hostname);
  }
  return { persons, accountsPerHost };
}
