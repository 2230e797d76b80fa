import type { CloudLicense, ProtectedEmail, ServerAccount } from "../shared/index.js";
import type { MatchEntry } from "./match-index.js";

/** docs/matching-rule.md, step 2: who consumes a GHES seat. */
export function isBillable(account: ServerAccount): boolean {
  return account.licensable && !account.suspended;
}

/** What handle keys point at on the cloud side: the look-alike part of the diagnosis (step 6). */
export interface HandleIndex {
  /** Handle key -> GHEC login of an identity linked to a kept row. */
  identityHandle: Map<string, string>;
  /** Handle key -> kept row of a GHEC account. */
  cloudHandle: Map<string, CloudLicense>;
}

/**
 * One human on the server side: every billable account sharing a normalized primary email.
 * Holds only what the report needs of its accounts, so accounts can be streamed and dropped:
 * each account as its hostname (one shared string per host) and id, side by side. Of the
 * accounts' handle keys it keeps only what they point at (`identityLogin`, `similarRow`), and
 * only while the person has merged with nothing: a handle key is a 43-character string, and an
 * unmerged person would otherwise hold every one of them until the diagnosis.
 */
export interface ServerPerson {
  email: ProtectedEmail | null;
  /**
   * Each account as its hostname and GHES user id side by side, in the order seen: `[host, id,
   * host, id, ...]`. One array rather than one of hosts and one of ids: a person is most often one
   * account, and a second array is 56 bytes more for each of a million of them.
   */
  accounts: Array<string | number>;
  /** Login of the first identity any handle key (accounts in the order seen) points at; null: none, or merged. */
  identityLogin: string | null;
  /** Kept GHEC row of the first cloud account any handle key points at; null: none, or merged. */
  similarRow: CloudLicense | null;
  /** The rule and cloud row it merged with; null when it merged with none. */
  match: MatchEntry | null;
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
  const accounts = person.accounts;
  const refs: string[] = [];
  for (let i = 0; i < accounts.length; i += 2) refs.push(accountRef(accounts[i] as string, accounts[i + 1] as number));
  return refs.length > 1 ? refs.sort() : refs;
}

/** Hosts of a person's accounts, in first-seen order. */
export function hostsOf(person: ServerPerson): string[] {
  const accounts = person.accounts;
  if (accounts.length === 2) return [accounts[0] as string];
  const unique: string[] = [];
  for (let i = 0; i < accounts.length; i += 2) {
    const host = accounts[i] as string;
    if (!unique.includes(host)) unique.push(host);
  }
  return unique;
}

/** The first value any of `keys` finds in `map`, in the order of `keys`. */
export function firstHit<V>(map: Map<string, V>, keys: Iterable<string>): V | undefined {
  for (const key of keys) {
    const hit = map.get(key);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Accounts seen on one host; `hostname` is the one string every person of that host shares. */
interface HostCounts {
  hostname: string;
  accounts: number;
  billable: number;
}

/**
 * docs/matching-rule.md, steps 2 and 4, as accounts arrive: billable accounts with the same
 * normalized primary email are one person, across instances (an account without an email is a
 * person of its own), and a person's match is decided when it first appears, since it depends
 * on its email key alone.
 *
 * The first handle key to hit, over the union of the accounts' keys in the order seen, is the
 * first hit among the earlier accounts' keys if there is one, else among the new account's: so
 * folding each account's keys in as it arrives finds what a lookup over the union would.
 *
 * @example
 *   const persons = new ServerPersonIndex((key) => matchIndex.get(key) ?? null, handleIndex);
 *   for (const account of accounts) persons.add(account);
 *   for (const person of persons.drain()) report(person);
 */
export class ServerPersonIndex {
  /** Per hostname: every account seen, and the billable ones. */
  readonly accountsPerHost = new Map<string, HostCounts>();
  private persons: ServerPerson[] = [];
  private readonly byEmail = new Map<string, ServerPerson>();
  private drained = false;

  constructor(
    private readonly matchOf: (emailKey: string) => MatchEntry | null,
    private readonly handles: HandleIndex,
  ) {}

  /** Persons so far. */
  get size(): number {
    return this.persons.length;
  }

  /** Adds one account: counts it, and joins it to its person or starts one when it is billable. */
  add(account: ServerAccount): void {
    if (this.drained) throw new Error("ServerPersonIndex: an account was added after the persons were drained");
    let counts = this.accountsPerHost.get(account.hostname);
    if (!counts)
      this.accountsPerHost.set(account.hostname, (counts = { hostname: account.hostname, accounts: 0, billable: 0 }));
    counts.accounts++;
    if (!isBillable(account)) return;
    counts.billable++;
    const key = account.primaryEmail?.key;
    const person = key === undefined ? undefined : this.byEmail.get(key);
    if (!person) {
      const match = key === undefined ? null : this.matchOf(key);
      const handles = account.handleKeys;
      // Array literals, not `[]` + push: V8 gives a pushed-to array room for 17 elements, which at
      // a million accounts is most of the engine's memory. Arrays grow by `concat`, which sizes the
      // copy exactly, for the same reason (a spread `[...a, b]` leaves room to spare, like push).
      const created: ServerPerson = {
        email: account.primaryEmail,
        accounts: [counts.hostname, account.id],
        identityLogin: match ? null : (firstHit(this.handles.identityHandle, handles) ?? null),
        similarRow: match ? null : (firstHit(this.handles.cloudHandle, handles) ?? null),
        match,
      };
      this.persons.push(created);
      if (key !== undefined) this.byEmail.set(key, created);
      return;
    }
    person.accounts = person.accounts.concat(counts.hostname, account.id);
    if (person.match !== null) return;
    const handles = account.handleKeys;
    if (person.identityLogin === null) person.identityLogin = firstHit(this.handles.identityHandle, handles) ?? null;
    if (person.similarRow === null) person.similarRow = firstHit(this.handles.cloudHandle, handles) ?? null;
  }

  /**
   * Every person, in the order first seen, each let go once handed out: the report is built while
   * the persons it comes from are freed, rather than beside all of them. Once only; the index
   * takes no account afterwards.
   */
  *drain(): Generator<ServerPerson> {
    if (this.drained) throw new Error("ServerPersonIndex: the persons were drained already");
    this.drained = true;
    this.byEmail.clear();
    const persons = this.persons;
    this.persons = [];
    for (let i = 0; i < persons.length; i++) {
      const person = persons[i]!;
      persons[i] = undefined as unknown as ServerPerson;
      yield person;
    }
  }
}
