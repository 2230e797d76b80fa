import type { RepositoryConfig } from "../config/index.js";
import type { GitHubClient } from "../github/index.js";
import type { Log } from "../shared/index.js";
import type { PlannedPost } from "./plan.js";

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
