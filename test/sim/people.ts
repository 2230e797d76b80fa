import { categoryCounts, type ResolvedOptions } from "./dataset-options.js";
import { IndexPermutation, rngFor, type Rng } from "./prng.js";
import { CATEGORIES, SERVER_CATEGORIES, type Category } from "./dataset-types.js";

/** GHES user ids: person i owns ids BASE + 4i (human) and BASE + 4i + 1 (noise account). */
export const ACCOUNT_ID_BASE = 1000;
const STREAM_PERSON = 1;

/** One GHES account as generated, before it is written in a CSV style. */
export interface ServerAccount {
  host: string;
  id: number;
  login: string;
  /** Primary email exactly as written, possibly in a case/space variant; "" when none. */
  email: string;
  role: "user" | "admin";
  suspended: boolean;
  dormant: boolean;
  twoFactor: boolean;
  createdAt: number;
  lastActive: number | null;
  lastIp: string;
  repos: number;
  sshKeys: number;
  orgMemberships: number;
}

/** Everything about person i that more than one output needs. */
export interface Person {
  index: number;
  category: Category;
  firstName: string;
  lastName: string;
  /** Canonical (normalized) email of the person. */
  email: string;
  serverLogin: string;
  /** GHEC login, "" when the person has none (server-only rows, unlinked VS subscribers). */
  cloudLogin: string;
  /** Billable human GHES accounts, one per host, ascending host order. */
  accounts: ServerAccount[];
  /** A noise account filed under this index: suspended, or without an email. */
  extra: ServerAccount | null;
}

const FIRST = [
  "ada",
  "grace",
  "linus",
  "margaret",
  "alan",
  "barbara",
  "dennis",
  "katherine",
  "ken",
  "frances",
  "edsger",
  "radia",
  "donald",
  "shafi",
  "tim",
  "hedy",
  "john",
  "annie",
  "guido",
  "sophie",
];
const LAST = [
  "lovelace",
  "hopper",
  "torvalds",
  "hamilton",
  "turing",
  "liskov",
  "ritchie",
  "johnson",
  "thompson",
  "allen",
  "dijkstra",
  "perlman",
  "knuth",
  "goldwasser",
  "lee",
  "lamarr",
  "backus",
  "easley",
  "rossum",
  "wilson",
];
const DAY = 86_400_000;

/**
 * Case and white-space variants GHES admins really end up with; all normalize (trim, lower-case)
 * to the same address, so they must never split a person.
 */
export function emailVariant(email: string, rng: Rng): string {
  switch (rng.int(5)) {
    case 0:
      return email.toUpperCase();
    case 1:
      return `  ${email.charAt(0).toUpperCase()}${email.slice(1).replace(/@(\w)/, (_m, c: string) => `@${c.toUpperCase()}`)} `;
    case 2:
      return `${email} `;
    case 3:
      return `\t${email}`;
    default:
      return email.replace(/^(\w)/, (c) => c.toUpperCase());
  }
}

/** Maps person indexes to categories and consumed-licenses positions, all in O(1). */
export class PersonLayout {
  readonly counts: Record<Category, number>;
  /** Persons with a consumed-licenses row (every category but serverOnlyUnsynced). */
  readonly rowCount: number;
  /** `options.now` in ms, parsed once: persons are built millions of times. */
  readonly now: number;
  private readonly starts: number[] = [];
  private readonly persons: IndexPermutation;
  private readonly rows: IndexPermutation;

  constructor(options: ResolvedOptions) {
    this.counts = categoryCounts(options.persons, options.mix);
    this.now = Date.parse(options.now);
    let start = 0;
    for (const category of CATEGORIES) {
      this.starts.push(start);
      start += this.counts[category];
    }
    this.rowCount = options.persons - this.counts.serverOnlyUnsynced;
    this.persons = new IndexPermutation(options.persons, options.seed);
    // A second permutation orders the rows, so GitHub's list interleaves categories.
    this.rows = new IndexPermutation(this.rowCount, options.seed + 7);
  }

  categoryOf(index: number): Category {
    const position = this.persons.forward(index);
    for (let c = CATEGORIES.length - 1; c >= 0; c--) {
      if (position >= (this.starts[c] ?? 0)) return CATEGORIES[c] ?? "cloudOnly";
    }
    return "cloudOnly";
  }

  /** Person index of consumed-licenses row k. */
  personOfRow(k: number): number {
    return this.persons.inverse(this.rows.forward(k));
  }
}

function makeAccount(
  host: string,
  id: number,
  login: string,
  email: string,
  now: number,
  rng: Rng,
  noise: ResolvedOptions["noise"],
): ServerAccount {
  const dormant = rng.chance(noise.dormant);
  return {
    host,
    id,
    login,
    email,
    role: rng.chance(noise.siteAdmin) ? "admin" : "user",
    suspended: false,
    dormant,
    twoFactor: rng.chance(0.7),
    createdAt: now - (30 + rng.int(3000)) * DAY - rng.int(DAY),
    lastActive: dormant ? now - (100 + rng.int(800)) * DAY : now - rng.int(80) * DAY - rng.int(DAY),
    lastIp: `10.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
    repos: rng.int(40),
    sshKeys: rng.int(4),
    orgMemberships: rng.int(6),
  };
}

function accountHosts(hosts: readonly string[], rng: Rng, multiHost: number): string[] {
  if (hosts.length === 0) return [];
  const chosen = new Set([rng.int(hosts.length)]);
  if (hosts.length >= 2 && rng.chance(multiHost)) {
    const want = Math.min(hosts.length, 2 + rng.int(2));
    while (chosen.size < want) chosen.add(rng.int(hosts.length));
  }
  return [...chosen].sort((a, b) => a - b).map((h) => hosts[h] ?? "");
}

/** Builds person i from (seed, i) alone. */
export function personAt(options: ResolvedOptions, layout: PersonLayout, index: number): Person {
  const rng = rngFor(options.seed, index, STREAM_PERSON);
  const category = layout.categoryOf(index);
  const now = layout.now;
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const doubleCounted = category === "doubleCounted";
  const email = doubleCounted ? `${firstName}.${lastName}${index}@${options.domain}` : `user${index}@${options.domain}`;
  const serverLogin = doubleCounted ? `${firstName}-${lastName}${index}` : `user${index}`;
  const vsUnlinked = category === "matchedVisualStudio" && rng.chance(0.3);
  const hasCloudLogin = !["serverOnlyFresh", "staleOtherHost", "serverOnlyUnsynced"].includes(category) && !vsUnlinked;
  const cloudLogin = !hasCloudLogin ? "" : doubleCounted ? `${firstName}${lastName}${index}` : `gh-${lastName}${index}`;
  const hosts = SERVER_CATEGORIES.has(category) ? accountHosts(options.hosts, rng, options.noise.multiHost) : [];
  const accounts = hosts.map((host, n) => {
    // The first account usually carries the clean address; the others are how copies drift.
    const written = n === 0 && rng.chance(0.8) ? email : emailVariant(email, rng);
    return makeAccount(host, ACCOUNT_ID_BASE + index * 4, serverLogin, written, now, rng, options.noise);
  });
  let extra: ServerAccount | null = null;
  const roll = rng.next();
  if (options.hosts.length > 0 && roll < options.noise.suspendedExtra + options.noise.noEmailExtra) {
    const host = rng.pick(options.hosts);
    const suspended = roll < options.noise.suspendedExtra;
    const login = suspended ? `former-${index}` : `svc-build-${index}`;
    // A suspended copy of a real person's address must not add or merge anyone.
    const extraEmail = !suspended
      ? ""
      : rng.chance(0.5)
        ? emailVariant(email, rng)
        : `former${index}@${options.domain}`;
    extra = {
      ...makeAccount(host, ACCOUNT_ID_BASE + index * 4 + 1, login, extraEmail, now, rng, options.noise),
      suspended,
      role: "user",
    };
  }
  return { index, category, firstName, lastName, email, serverLogin, cloudLogin, accounts, extra };
}
