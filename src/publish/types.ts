import type { RepositoryConfig } from "../config/repository.js";
import type { ServerLicense, SyncStatus } from "../shared/collection.js";
import type { GitHubClient } from "../github/client.js";
import type { Log } from "../github/logger.js";
import type { Report } from "../shared/report.js";
import type { PlannedPost } from "./plan.js";

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

/** Where and how a run is published. */
export interface PublishTarget {
  /** A client allowed to write issues and contents in the admin repository. */
  octokit: GitHubClient;
  owner: string;
  repo: string;
  config: RepositoryConfig;
  logger: Log;
  /** Compute everything, change nothing; `PublishResult.plan` says what would have been posted. */
  dryRun: boolean;
  /** Clock, injectable for tests. */
  now?: Date;
}

export type IssueAction = "created" | "updated" | "unchanged" | "closed" | "reopened";

export interface PublishResult {
  summaryIssue: {
    number: number | null;
    url: string | null;
    title: string;
    action: IssueAction | "would-create" | "would-update";
  } | null;
  divergenceIssues: Array<{
    kind: string;
    subject?: string;
    number: number | null;
    url: string | null;
    action: IssueAction | `would-${string}`;
  }>;
  history: { path: string; committed: boolean } | null;
  /** Human-readable lines of what was (or, in a dry run, would be) posted. */
  plan: string[];
  /** The result of a dry run: nothing was written. */
  dryRun?: boolean;
  /** The writes behind `plan`, with the bodies posted (or that would be). */
  posts?: PlannedPost[];
  /** The summary had to drop rows to fit GitHub's limit; the per-person CSV holds them all. */
  summaryTruncated?: boolean;
  /** The per-person CSV committed beside the snapshot, when the summary was cut. */
  peopleCsv?: { path: string; committed: boolean } | null;
}
