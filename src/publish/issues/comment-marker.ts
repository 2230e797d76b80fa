import type { GitHubClient } from "../../github/index.js";
import { marker, parseMarker, type MarkerType } from "./markers.js";

// Pages of 100 comments read to find an earlier comment; a longer thread is answered again at worst.
const SEARCH_PAGES = 10;

/** The issue a comment goes on. */
export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

/** `<!-- license-sync:reply run=… -->`: what makes one run's comment on an issue findable again. */
export const runCommentMarker = (type: Extract<MarkerType, "reply" | "comment">, runId: string): string =>
  marker(type, { run: runId });

/**
 * The URL of the comment on an issue that carries the run's marker of `type`, or null. A retried
 * publish or reply looks here first, so each run comments once per issue.
 *
 * @example if (!(await findRunComment(octokit, target, "reply", runId))) await post();
 */
export async function findRunComment(
  octokit: Pick<GitHubClient, "request">,
  target: CommentTarget,
  type: Extract<MarkerType, "reply" | "comment">,
  runId: string,
): Promise<string | null> {
  for (let page = 1; page <= SEARCH_PAGES; page++) {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      per_page: 100,
      page,
    });
    const found = data.find((comment) => {
      const m = parseMarker(comment.body);
      return m?.type === type && m.fields.run === runId;
    });
    if (found) return found.html_url;
    if (data.length < 100) return null;
  }
  return null;
}
