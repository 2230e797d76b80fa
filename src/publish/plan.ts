import type { GitHubClient } from "../github/index.js";
import type { Log } from "../shared/index.js";

/** One write publishing makes (or, in a dry run, would make), with what it posts. */
export interface PlannedPost {
  action: "create-label" | "create-issue" | "update-issue" | "comment" | "close-issue" | "commit-file";
  /** `#12`, a label name, a file path; `new issue` before an issue has a number. */
  target: string;
  title?: string;
  /** The text posted; absent for labels and for files (which can be large). */
  body?: string;
}

/**
 * The record of a publication: human-readable lines (`PublishResult.plan`) and the posts behind
 * them. Built the same way in a dry run and a real one, so a dry run shows exactly what a real
 * run would do.
 */
export class Plan {
  readonly lines: string[] = [];
  readonly posts: PlannedPost[] = [];

  add(line: string, post?: PlannedPost): void {
    this.lines.push(line);
    if (post) this.posts.push(post);
  }
}

/** What every publishing step works with. */
export interface PublishContext {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Change nothing on GitHub: reads happen, writes are only planned. */
  dryRun: boolean;
  logger: Log;
  runId: string;
  plan: Plan;
}
