import { isInputError } from "../errors.js";
import type { GitHubClient } from "../github/client.js";
import type { RunRequest } from "./types.js";

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/**
 * The reply when a run failed for good: for configuration and permission problems the file,
 * key and fix (the admin can act on it); otherwise the reason and the run id to find it in the
 * logs. Error texts of this project never carry emails or tokens.
 *
 * @example failureReply("acme-20261123T120000Z-k3f9q", new InputError(".github/license-sync.yml", "thresholds.staleSyncDays", "expected a number", "Use a whole number of days."))
 */
export function failureReply(runId: string, error: unknown, attempts = 1): string {
  if (isInputError(error)) {
    return [
      `The license sync run ${code(runId)} could not run: ${code(error.source)}${error.where ? ` at ${code(error.where)}` : ""}: ${error.problem}.`,
      "",
      `**What to fix:** ${error.fix}`,
      "",
      "Nothing was posted. Run `/license-sync now` again once it is fixed.",
    ].join("\n");
  }
  const message = error instanceof Error ? error.message : String(error);
  return [
    `The license sync run ${code(runId)} failed${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${message.split("\n")[0]}`,
    "",
    `Operators can find every log line of this run under run id ${code(runId)}. Run \`/license-sync now\` to try again.`,
  ].join("\n");
}

/** Posts `body` on the issue a command came from. */
export async function postReply(octokit: GitHubClient, reply: NonNullable<RunRequest["reply"]>, body: string): Promise<string> {
  const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: reply.owner, repo: reply.repo, issue_number: reply.issueNumber, body });
  return data.html_url;
}
