import type { CloudUsage, ExternalIdentity, ServerAccount } from "./report.js";

/** `GET /enterprise/settings/license` of one GHES, normalized. */
export interface ServerLicense {
  /** Purchased seats; GHES writes `"unlimited"` for unlimited licenses. */
  seats: number | "unlimited";
  /** Seats in use as GHES counts them (suspended users excluded). */
  seatsUsed: number;
  /** Null when GHES gave a value license-sync cannot read (a negative count once over-consumed). */
  seatsAvailable: number | "unlimited" | null;
  /** E.g. `standard`, `evaluation`; `unknown` when absent or not text. */
  kind: string;
  daysUntilExpiration: number | null;
  /** ISO 8601 (UTC), whichever of the two formats GHES used. */
  expiresAt: string | null;
}

/** `GET /enterprise/stats/users` of one GHES. */
export interface ServerStats {
  totalUsers: number;
  adminUsers: number;
  suspendedUsers: number;
}

/** Everything collected from one GHES instance. */
export interface ServerCollection {
  /** As GitHub writes it in `enterprise_server_user_ids`. */
  hostname: string;
  /** Every account of `all_users.csv`, emails already keyed and masked; empty when they went to `onAccount`. */
  accounts: ServerAccount[];
  /** Accounts read, whether kept in `accounts` or handed to a sink. */
  accountCount: number;
  /** When the accounts were read (a usage file's `generatedAt`), ISO 8601. */
  collectedAt: string;
  /** Null when the instance does not offer the endpoint (404). */
  license: ServerLicense | null;
  stats: ServerStats | null;
  /** Accounts that consume a seat: licensable and not suspended (docs/matching-rule.md, step 2). */
  billableAccounts: number;
  /** `billableAccounts - license.seatsUsed`; 0 when our count agrees with GHES's; null without a license. */
  seatsUsedDifference: number | null;
  durationMs: number;
  /** HTTP attempts made, report polls and retries included. */
  requests: number;
}

/** Progress of a GHES collection, reported while the report streams in. */
export interface ServerProgress {
  accountsRead: number;
}

/** One GHES instance as GHEC last heard of it (`license-sync-status`). */
export interface SyncStatus {
  serverId: string;
  hostname: string;
  /** ISO 8601; null when the instance never synced. */
  lastSyncAt: string | null;
  /** Only `success` is documented; anything else (or no sync at all) is a failure. */
  status: "success" | "failure";
  /** GitHub's status word as given (`success`, `failed`, …); null when absent. */
  reportedStatus: string | null;
  /** GitHub's error text; null when empty. */
  error: string | null;
}

/** Result of reading all `consumed-licenses` pages. */
export interface ConsumedLicensesResult {
  usage: CloudUsage;
  requests: number;
  /** The list moved while it was read (totals differed, rows repeated, or pages had to be added). */
  totalsChangedMidRun: boolean;
}

/** Progress of the `consumed-licenses` read. */
export interface CloudProgress {
  pagesRead: number;
  /** Pages expected from the first page's total (may grow if the list moves). */
  pages: number;
  rowsRead: number;
}

/** SAML/SCIM identities and verified domains of the enterprise. */
export interface IdentitiesResult {
  identities: ExternalIdentity[];
  /** Verified domains of the enterprise, lower-cased; empty when the token may not read them. */
  verifiedDomains: string[];
  requests: number;
}

/** Everything collected from the GHEC enterprise. */
export interface CloudCollection {
  usage: CloudUsage;
  syncStatus: SyncStatus[];
  identities: ExternalIdentity[];
  /** Enterprise verified domains, plus the domains of verified-domain emails in the rows. */
  verifiedDomains: string[];
  requests: number;
  totalsChangedMidRun: boolean;
  durationMs: number;
}
