import type { PublishContext } from "../plan.js";

/** An issue as publishing needs it. */
export interface IssueRecord {
  /** Database id (`duplicate_issue_id` takes it). */
  id: number;
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  url: string;
}

interface RawIssue {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  pull_request?: unknown;
}

/** Maps GitHub's issue object. */
export function toIssueRecord(raw: RawIssue): IssueRecord {
  return {
    id: raw.id,
    number: raw.number,
    title: raw.title,
    body: raw.body ?? "",
    state: raw.state === "closed" ? "closed" : "open",
    url: raw.html_url,
  };
}

export interface ListOptions {
  state: "open" | "closed" | "all";
  sort?: "created" | "updated";
  direction?: "asc" | "desc";
  /** Stop after this many pages of 100 (default: all). */
  maxPages?: number;
  /** Stop after the page on which this returns true. */
  stopAfter?: (issue: IssueRecord) => boolean;
}

/**
 * Issues carrying `label`, page by page. Listing (not search) because GitHub's search index lags
 * behind: an issue created a second ago is listed but not yet found.
 *
 * @example for await (const issue of issuesWithLabel(ctx, "license-sync:divergence", { state: "open" })) ...
 */
export async function* issuesWithLabel(
  ctx: PublishContext,
  label: string,
  options: ListOptions,
): AsyncGenerator<IssueRecord> {
  const pages = ctx.octokit.paginate.iterator(ctx.octokit.rest.issues.listForRepo, {
    owner: ctx.owner,
    repo: ctx.repo,
    labels: label,
    state: options.state,
    sort: options.sort ?? "created",
    direction: options.direction ?? "desc",
    per_page: 100,
  });
  let page = 0;
  for await (const { data } of pages) {
    page++;
    let stop = false;
    for (const raw of data as RawIssue[]) {
      if (raw.pull_request) continue;
      const issue = toIssueRecord(raw);
      yield issue;
      if (options.stopAfter?.(issue)) stop = true;
    }
    if (stop || (options.maxPages !== undefined && page >= options.maxPages)) return;
  }
}

/** Every issue of `issuesWithLabel` in one array. */
export async function listIssuesWithLabel(
  ctx: PublishContext,
  label: string,
  options: ListOptions,
): Promise<IssueRecord[]> {
  const issues: IssueRecord[] = [];
  for await (const issue of issuesWithLabel(ctx, label, options)) issues.push(issue);
  return issues;
}
