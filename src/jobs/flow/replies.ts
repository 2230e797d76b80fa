import type { GitHubClient } from "../../github/index.js";
import { publicText } from "../../privacy/index.js";
import { findRunComment, runCommentMarker } from "../../publish/index.js";
import { code, inlineProse, isInputError } from "../../shared/index.js";
import type { ReplyTarget } from "../store/requesters.js";

/**
 * The reply when a run failed for good: for configuration and permission problems the file,
 * key and fix (the admin can act on it); otherwise the reason and the run id to find it in the
 * logs. The reason may quote a server's answer: it is made public (`publicText`) and shown as
 * code, so nothing in it can mention, link or load an image. A problem's text is escaped
 * (`inlineProse`) for the same reason; the email guard on the client masks any address.
 *
 * @example failureReply("acme-20261123T120000Z-k3f9q", new InputError(".github/license-sync.yml", "thresholds.staleSyncDays", "expected a number", "Use a whole number of days."))
 */
export function failureReply(runId: string, error: unknown, attempts = 1): string {
  if (isInputError(error)) {
    return [
      `The license sync run ${code(runId)} could not run: ${code(error.source)}${error.where ? ` at ${code(error.where)}` : ""}: ${inlineProse(error.problem)}.`,
      "",
      `**What to fix:** ${error.fix}`,
      "",
      "Nothing was posted. Run `/license-sync now` again once it is fixed.",
    ].join("\n");
  }
  const message = error instanceof Error ? error.message : String(error);
  return [
    `The license sync run ${code(runId)} failed${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${code(publicText(message.split("\n")[0] ?? ""))}`,
    "",
    `Operators can find every log line of this run under run id ${code(runId)}. Run \`/license-sync now\` to try again.`,
  ].join("\n");
}

/**
 * Posts the run's reply on the issue a command came from, once: the reply carries a hidden
 * marker with the run id, and an issue that already has it is not answered again (a retried
 * job after its reply went out). Returns the comment's URL.
 *
 * @example await postReplyOnce(octokit, { owner: "acme", repo: "license-admin", issueNumber: 5, installationId: 11 }, runId, body);
 */
export async function postReplyOnce(
  octokit: GitHubClient,
  reply: ReplyTarget,
  runId: string,
  body: string,
): Promise<string> {
  const existing = await findRunComment(octokit, reply, "reply", runId);
  if (existing) return existing;
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: reply.owner,
    repo: reply.repo,
    issue_number: reply.issueNumber,
    body: `${body.trimEnd()}\n\n${runCommentMarker("reply", runId)}\n`,
  });
  return data.html_url;
}
