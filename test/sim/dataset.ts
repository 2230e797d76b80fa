import { takeCensus, type Census } from "./census.js";
import { cloudRowFor } from "./cloud-rows.js";
import { resolveOptions, type DatasetOptions, type ResolvedOptions } from "./dataset-options.js";
import {
  RETIRED_HOST,
  type AllUsersRow,
  type Category,
  type ConsumedLicenseRow,
  type Expected,
  type ExternalIdentityNode,
  type GhesLicense,
  type GhesUserStats,
  type LicenseSyncStatus,
} from "./dataset-types.js";
import { accountRow, specialAccounts } from "./ghes-rows.js";
import { hasIdentity, identityFor, identityOrg } from "./identities.js";
import { PersonLayout, personAt, type Person, type ServerAccount } from "./people.js";
import { hash32, hashString } from "./prng.js";

export type { DatasetOptions } from "./dataset-options.js";
export { writeDatasetFiles } from "./write-files.js";

/** Which IdP to list: undefined = every identity, null = the enterprise's, a string = that org's. */
export type IdentityScope = string | null | undefined;

/** One page of identities; `next` is the person index to resume from, null at the end. */
export interface IdentityPage {
  nodes: ExternalIdentityNode[];
  next: number | null;
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
  verifiedDomains(): string[];
  domains(): Array<{ domain: string; isVerified: boolean }>;
  license(host: string): GhesLicense;
  statsUsers(host: string): GhesUserStats;
  syncStatus(): LicenseSyncStatus;
}

function inScope(person: Person, options: ResolvedOptions, scope: IdentityScope): boolean {
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
    census ??= takeCensus(options, (function* () {
      for (let i = 0; i < options.persons; i++) yield person(i);
    })(), (p) => (hasIdentity(p, options) ? { scope: identityOrg(p, options) } : null));
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
      for (let i = fromPerson; i < options.persons; i++) {
        const p = person(i);
        if (!hasIdentity(p, options) || !inScope(p, options, scope)) continue;
        // One identity past the page proves there is a next page.
        if (nodes.length === first) return { nodes, next: i };
        const node = identityFor(p, options);
        if (node) nodes.push(node);
      }
      return { nodes, next: null };
    },
    verifiedDomains: () => [options.domain, `eu.${options.domain}`],
    domains: () => [
      { domain: options.domain, isVerified: true },
      { domain: `eu.${options.domain}`, isVerified: true },
      { domain: "legacy-corp.example", isVerified: false },
    ],
    license(host) {
      const seen = hostCensus(host);
      const position = options.hosts.indexOf(host);
      const days = 120 + position * 45;
      const expires = new Date(now + days * 86_400_000);
      // Both formats GHES has used (DOMAIN.md 4): "2016/02/06 12:41:52 -0600" and ISO 8601.
      const expireAt =
        position % 2 === 0
          ? `${expires.toISOString().slice(0, 10).replaceAll("-", "/")} ${expires.toISOString().slice(11, 19)} +0000`
          : expires.toISOString();
      const seats = position === 0 ? "unlimited" : Math.ceil(seen.billableAccounts * 1.2) + 10;
      return {
        seats,
        seats_used: seen.billableAccounts,
        seats_available: seats === "unlimited" ? "unlimited" : seats - seen.billableAccounts,
        kind: "standard",
        days_until_expiration: days,
        expire_at: expireAt,
      };
    },
    statsUsers(host) {
      const seen = hostCensus(host);
      return { total_users: seen.accounts, admin_users: seen.adminUsers, suspended_users: seen.suspendedUsers };
    },
    syncStatus() {
      const instances = options.hosts.map((hostname, n) => ({
        server_id: hash32(options.seed, hashString(hostname)).toString(16).padStart(8, "0"),
        hostname,
        last_sync: { date: new Date(now - (1 + n) * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z"), status: "success", error: "" },
      }));
      // GitHub keeps listing an instance that stopped syncing; anything but "success" is a failure.
      instances.push({
        server_id: "retired01",
        hostname: RETIRED_HOST,
        last_sync: { date: new Date(now - 120 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z"), status: "failed", error: "License upload could not be processed" },
      });
      return { server_instances: instances };
    },
  };
  return dataset;
}
