import type { ServerLicense, SyncStatus } from "./collection.js";
import type { Report } from "./report.js";

/** What started a run. */
export type RunTrigger = "schedule" | "command" | "push" | "cli";

/** What is known of one GHES instance in a run, besides its accounts. */
export interface InstanceFacts {
  hostname: string;
  /** Collected over the network, or read from an uploaded usage file (air gap). */
  source: "api" | "usage-file";
  /** When the accounts were read (usage file: its `generatedAt`). ISO 8601. */
  collectedAt: string;
  license: ServerLicense | null;
  /** Billable accounts from the report minus GHES's `seats_used`; null without a license. */
  seatsUsedDifference: number | null;
}

/**
 * One finished run, as publishing needs it. Contains no email in clear (the report carries masked
 * emails only) and nothing secret.
 */
export interface RunRecord {
  runId: string;
  enterprise: string;
  trigger: RunTrigger;
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string;
  /** The engine's report; `divergences` holds every kind, detected after reconciliation. */
  report: Report;
  instances: InstanceFacts[];
  /** GHEC's `license-sync-status`. */
  syncStatus: SyncStatus[];
  /** The consumed-licenses list moved while it was read. */
  totalsChangedMidRun: boolean;
  /** Features the run did without (a token lacked an optional scope), one line each. */
  warnings?: string[];
}
