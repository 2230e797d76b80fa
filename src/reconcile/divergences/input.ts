import type { CloudLicense, Report } from "../../shared/index.js";
import type { DivergenceThresholds } from "./thresholds.js";

/**
 * What `detectDivergences` reads. The engine stays pure and imports nothing outside reconcile/,
 * so the facts from collectors and publishers are described here by shape: `SyncStatus`
 * (shared/collection.ts) and `InstanceFacts` (shared/run.ts) satisfy these interfaces as they are.
 */

/** GHEC's `license-sync-status` entry of one GHES instance. */
export interface SyncFact {
  hostname: string;
  /** ISO 8601; null when the instance never synced. */
  lastSyncAt: string | null;
  status: "success" | "failure";
  /** GitHub's status word as given; null when absent. */
  reportedStatus?: string | null;
  error: string | null;
}

/** A GHES license as collectors normalize it (`ServerLicense`). */
export interface LicenseFact {
  seats: number | "unlimited";
  daysUntilExpiration: number | null;
  /** ISO 8601 (UTC). */
  expiresAt: string | null;
}

/** What is known of one GHES instance besides its accounts (`InstanceFacts`). */
export interface InstanceFact {
  hostname: string;
  license: LicenseFact | null;
  /** Billable accounts minus GHES's own `seats_used`; null without a license. */
  seatsUsedDifference?: number | null;
}

/** Everything `detectDivergences` needs; all plain data. */
export interface DetectDivergencesInput {
  /** The engine's report: totals, per-instance counts, reasons (the engine leaves `divergences` empty). */
  report: Pick<Report, "totals" | "servers" | "reasons">;
  /** From the repository config (`thresholds:`), as it is; missing keys take the defaults. */
  thresholds?: Partial<DivergenceThresholds>;
  /** Purchased GHEC seats; null or absent: `report.totals.seatsPurchased`. */
  seatsPurchased?: number | null;
  /**
   * What a sync run knows beyond the report. Absent for an offline report (`report` command),
   * which has no sync status, licenses or clock: then only the seat kinds are detected.
   */
  run?: RunFacts;
}

/** The facts of a sync run that per-instance kinds need. */
export interface RunFacts {
  /** GHEC's `license-sync-status`. */
  syncStatus: SyncFact[];
  /** Facts of each GHES instance collected in this run (license, source). */
  instances: InstanceFact[];
  /** GitHub's consumed-licenses rows (the whole list, replaced rows included). */
  cloudRows: Iterable<Pick<CloudLicense, "serverUserIds">>;
  /** Hostnames whose accounts were collected in this run. */
  collectedHosts: string[];
  /** The run's clock. */
  now: Date;
}

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an ISO timestamp, or the text itself when it does not parse. */
export function isoDay(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 10);
}
