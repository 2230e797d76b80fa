import { takeCensus, type Census } from "./census.js";
import { cloudRowFor } from "./cloud-rows.js";
import { resolveOptions, type DatasetOptions, type ResolvedOptions } from "./dataset-options.js";
import type {
  AllUsersRow,
  Category,
  ConsumedLicenseRow,
  Expected,
  ExternalIdentityNode,
  GhesLicense,
  GhesUserStats,
  LicenseSyncStatus,
} from "./dataset-types.js";
import { accountRow, specialAccounts } from "./ghes-rows.js";
import { hasIdentity, identityFor, identityOrg } from "./identities.js";
import { licenseOf, statsOf, syncStatusOf } from "./instance-status.js";
import { PersonLayout, personAt, type Person, type ServerAccount } from "./people.js";

export type { DatasetOptions, Mix, Noise } from "./dataset-options.js";
export type { AllUsersRow, Category, ConsumedLicenseRow, Expected, ExternalIdentityNode } from "./dataset-types.js";
export { writeDatasetFiles, type DatasetFiles } from "./write-files.js";

/** Which IdP to list: undefined = every identity, null = the enterprise's, a string = that org's. */
export type IdentityScope = string | null | undefined;

/** One page of identities; `next` is the person index of the next identity, null at the end. */
export interface IdentityPage {
  nodes: ExternalIdentityNode[];
  /** Person index of each node (cursor positions). */
  indexes: number[];
  /** Read from the start: the person index to go on from, null at the end. */
  next: number | null;
  /** Read from the end: whether an identity comes before the page. */
  hasPrevious?: boolean;
}

/**
 * A deterministic enterprise. Nothing is stored per person: every row is recomputed from
 * (seed, index), so a million accounts cost no memory and any page is O(page size).
 */
export interface Dataset {
  readonly options: ResolvedOptions;
  /** Exact persons per category, as the mix asks. */
  readonly categoryCounts: Readonly<Record<Category, number>>;
  /** Rows of consumed-licenses (= GitHub's `total_seats_consumed`). */
  readonly consumedLicenseCount: number;
  /** One full pass over persons (lazy, then cached). */
  readonly census: Census;
  /** Totals the project's rule must give on this dataset (lazy, then cached). */
  readonly expected: Expected;
  person(index: number): Person;
  /** GHES accounts of `host` from person `fromPerson` on (built-in accounts only when 0). */
  serverAccounts(host: string, fromPerson?: number): Generator<ServerAccount>;
  /** The same accounts as `all_users.csv` rows. */
  ghesAccounts(host: string): Generator<AllUsersRow>;
  /** Consumed-licenses row k of GitHub's stable order. */
  consumedLicenseRow(k: number): ConsumedLicenseRow;
  consumedLicenseRows(start?: number, end?: number): Generator<ConsumedLicenseRow>;
  externalIdentities(scope?: IdentityScope): Generator<ExternalIdentityNode>;
  identityPage(scope: IdentityScope, fromPerson: number, first: number): IdentityPage;
  /** The last `last` identities of persons before `beforePerson` (exclusive), in order. */
  identityPageBefore(scope: IdentityScope, beforePerson: number, last: number): IdentityPage;
  verifiedDomains(): string[];
  domains(): Array<{ domain: string; isVerified: boolean }>;
  license(host: string): GhesLicense;
  statsUsers(host: string): GhesUserStats;
  syncStatus(): LicenseSyncStatus;
}

function inScope(person: Pick<Person, "index">, options: ResolvedOptions, scope: IdentityScope): boolean {
  return scope === undefined || identityOrg(person, options) === scope;
}

/**
 * Creates the dataset. Every attribute of person i depends on (seed, i) only.
 *
 * @example
 *   const ds = createDataset({ seed: 1, persons: 1000, hosts: ["ghes-a.corp.example"] });
 *   ds.expected.uniqueUsers; [...ds.ghesAccounts("ghes-a.corp.example")].length;
 */
export function createDataset(input: DatasetOptions): Dataset {
  const options = resolveOptions(input);
  const layout = new PersonLayout(options);
  const now = Date.parse(options.now);
  const person = (index: number): Person => personAt(options, layout, index);
  let census: Census | undefined;
  const getCensus = (): Census => {
    census ??= takeCensus(
      options,
      (function* () {
        for (let i = 0; i < options.persons; i++) yield person(i);
      })(),
      (p) => (hasIdentity(p, options) ? { scope: identityOrg(p, options) } : null),
    );
    return census;
  };
  const hostCensus = (host: string) => {
    const seen = getCensus().perHost[host];
    if (!options.hosts.includes(host) || !seen) throw new Error(`unknown host ${host}`);
    return seen;
  };
  const dataset: Dataset = {
    options,
    categoryCounts: layout.counts,
    consumedLicenseCount: layout.rowCount,
    get census() {
      return getCensus();
    },
    get expected() {
      return getCensus().expected;
    },
    person,
    *serverAccounts(host, fromPerson = 0) {
      if (fromPerson === 0) yield* specialAccounts(host, now);
      for (let i = fromPerson; i < options.persons; i++) {
        const p = person(i);
        for (const account of p.accounts) if (account.host === host) yield account;
        if (p.extra?.host === host) yield p.extra;
      }
    },
    *ghesAccounts(host) {
      for (const account of dataset.serverAccounts(host)) yield accountRow(account);
    },
    consumedLicenseRow(k) {
      if (!(k >= 0 && k < layout.rowCount)) throw new RangeError(`row ${k} out of range`);
      const p = person(layout.personOfRow(k));
      const row = cloudRowFor(p, options, hasIdentity(p, options));
      if (!row) throw new Error(`person ${p.index} has no row`);
      return row;
    },
    *consumedLicenseRows(start = 0, end = layout.rowCount) {
      for (let k = Math.max(0, start); k < Math.min(end, layout.rowCount); k++) yield dataset.consumedLicenseRow(k);
    },
    *externalIdentities(scope) {
      for (let i = 0; i < options.persons; i++) {
        const p = person(i);
        if (!inScope(p, options, scope)) continue;
        const node = identityFor(p, options);
        if (node) yield node;
      }
    },
    identityPage(scope, fromPerson, first) {
      const nodes: ExternalIdentityNode[] = [];
      const indexes: number[] = [];
      for (let i = fromPerson; i < options.persons; i++) {
        // Whether a person has an identity, and in which scope, depends on the index and the
        // category alone: only those who have one are built (about one person in four here).
        const who = { index: i, category: layout.categoryOf(i) };
        if (!hasIdentity(who, options) || !inScope(who, options, scope)) continue;
        // One identity past the page proves there is a next page.
        if (nodes.length === first) return { nodes, indexes, next: i };
        const node = identityFor(person(i), options);
        if (node) {
          nodes.push(node);
          indexes.push(i);
        }
      }
      return { nodes, indexes, next: null };
    },
    identityPageBefore(scope, beforePerson, last) {
      const nodes: ExternalIdentityNode[] = [];
      const indexes: number[] = [];
      for (let i = Math.min(beforePerson, options.persons) - 1; i >= 0; i--) {
        const who = { index: i, category: layout.categoryOf(i) };
        if (!hasIdentity(who, options) || !inScope(who, options, scope)) continue;
        // One identity before the page proves there is a previous page.
        if (nodes.length === last)
          return { nodes: nodes.reverse(), indexes: indexes.reverse(), next: null, hasPrevious: true };
        const node = identityFor(person(i), options);
        if (node) {
          nodes.push(node);
          indexes.push(i);
        }
      }
      return { nodes: nodes.reverse(), indexes: indexes.reverse(), next: null, hasPrevious: false };
    },
    verifiedDomains: () => [options.domain, `eu.${options.domain}`],
    domains: () => [
      { domain: options.domain, isVerified: true },
      { domain: `eu.${options.domain}`, isVerified: true },
      { domain: "legacy-corp.example", isVerified: false },
    ],
    license: (host) => licenseOf(hostCensus(host), options.hosts.indexOf(host), now),
    statsUsers: (host) => statsOf(hostCensus(host)),
    syncStatus: () => syncStatusOf(options, now),
  };
  return dataset;
}
