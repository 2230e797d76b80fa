import { CATEGORIES, type Category } from "./dataset-types.js";

/** Share of each category among persons; normalized, so only the proportions matter. */
export type Mix = Record<Category, number>;

/** Per-account noise. None of it changes who is a person, only what the rows look like. */
export interface Noise {
  /** Share of server persons with accounts on 2-3 hosts (emails in case/space variants). */
  multiHost: number;
  /** Chance that a person index also carries a suspended account (not billable). */
  suspendedExtra: number;
  /** Chance that a person index also carries an account with no email (a person of its own). */
  noEmailExtra: number;
  /** Share of human accounts that are dormant (still billable). */
  dormant: number;
  /** Share of human accounts that are site admins. */
  siteAdmin: number;
  /** Share of cloudOnly/doubleCounted persons with a linked SAML identity (on other emails). */
  identityCoverage: number;
  /** Share of serverOnlyUnsynced persons with an identity not linked to any login (must not match). */
  unlinkedIdentity: number;
}

/** What `createDataset` takes. */
export interface DatasetOptions {
  seed: number;
  /** How many humans. */
  persons: number;
  /** GHES hostnames. */
  hosts: string[];
  /** Hosts whose accounts a run collects; defaults to `hosts`. */
  collectedHosts?: string[];
  seatsPurchased?: number;
  mix?: Partial<Mix>;
  noise?: Partial<Noise>;
  /** Documented drift in consumed-licenses rows (GitHub's API docs); default true. */
  drift?: boolean;
  /** GHEC enterprise slug; default "acme". */
  enterprise?: string;
  /** When set, identities live in these organizations' IdPs instead of the enterprise's. */
  identityOrgs?: string[];
  /** Email domain of the company; default "corp.example". */
  domain?: string;
  /** Clock of the generated data (dates are relative to it); default 2026-11-23T12:00:00Z. */
  now?: string;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<DatasetOptions, "mix" | "noise">> & { mix: Mix; noise: Noise };

/** A plausible enterprise: a third cloud-only, most server users matched, a tail of double counts. */
export const DEFAULT_MIX: Mix = {
  cloudOnly: 0.3,
  matchedSamlIdentity: 0.1,
  matchedSamlNameId: 0.08,
  matchedVerifiedDomainEmail: 0.14,
  matchedLinkedServerEmail: 0.1,
  matchedVisualStudio: 0.04,
  serverOnlyFresh: 0.06,
  staleOtherHost: 0.02,
  doubleCounted: 0.04,
  serverOnlyUnsynced: 0.12,
};

/** Noise levels of the default dataset. */
export const DEFAULT_NOISE: Noise = {
  multiHost: 0.12,
  suspendedExtra: 0.03,
  noEmailExtra: 0.01,
  dormant: 0.15,
  siteAdmin: 0.01,
  identityCoverage: 0.5,
  unlinkedIdentity: 0.2,
};

/** Fills defaults and checks what would otherwise produce silently wrong data. */
export function resolveOptions(options: DatasetOptions): ResolvedOptions {
  if (!Number.isInteger(options.persons) || options.persons < 0)
    throw new RangeError("persons must be a non-negative integer");
  if (new Set(options.hosts).size !== options.hosts.length) throw new Error("hosts must be distinct");
  const mix = { ...DEFAULT_MIX, ...options.mix };
  if (Object.values(mix).some((share) => !(share >= 0))) throw new RangeError("mix shares must be >= 0");
  if (Object.values(mix).every((share) => share === 0)) throw new RangeError("mix must have a positive share");
  return {
    seed: options.seed,
    persons: options.persons,
    hosts: [...options.hosts],
    collectedHosts: [...(options.collectedHosts ?? options.hosts)],
    seatsPurchased: options.seatsPurchased ?? Math.ceil(options.persons * 1.1),
    mix,
    noise: { ...DEFAULT_NOISE, ...options.noise },
    drift: options.drift ?? true,
    enterprise: options.enterprise ?? "acme",
    identityOrgs: [...(options.identityOrgs ?? [])],
    domain: options.domain ?? "corp.example",
    now: options.now ?? "2026-11-23T12:00:00Z",
  };
}

/**
 * Exact persons per category (largest remainder), so tests can assert counts equal the options
 * rather than "roughly".
 */
export function categoryCounts(persons: number, mix: Mix): Record<Category, number> {
  const total = CATEGORIES.reduce((sum, c) => sum + mix[c], 0);
  const raw = CATEGORIES.map((c) => (mix[c] / total) * persons);
  const counts = raw.map(Math.floor);
  let left = persons - counts.reduce((a, b) => a + b, 0);
  const order = raw
    .map((value, i) => ({ i, rest: value - Math.floor(value) }))
    .sort((x, y) => y.rest - x.rest || x.i - y.i);
  for (const { i } of order) {
    if (left === 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return Object.fromEntries(CATEGORIES.map((c, i) => [c, counts[i] ?? 0])) as Record<Category, number>;
}
