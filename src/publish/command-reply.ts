import { divergenceKey } from "./divergences/index.js";
import { cell, type RunRecord } from "../shared/index.js";
import type { PublishResult } from "./types.js";

/**
 * The reply to `/license-sync now`: the outcome, this run's unique users against GitHub's
 * consumed seats, a link to the summary issue and to each open divergence issue; in a dry run,
 * the plan of what would have been posted instead.
 *
 * @example await octokit.rest.issues.createComment({ owner, repo, issue_number, body: renderCommandReply(record, result) });
 */
export function renderCommandReply(record: RunRecord, result: PublishResult): string {
  const { totals } = record.report;
  const dryRun =
    result.dryRun ??
    (result.summaryIssue?.action.startsWith("would-") ||
      result.divergenceIssues.some((d) => d.action.startsWith("would-")));
  const difference = totals.uniqueUsers - totals.seatsConsumedReported;
  const open = result.divergenceIssues.filter((d) => d.action !== "closed" && d.action !== "would-close");
  const closed = result.divergenceIssues.filter((d) => d.action === "closed" || d.action === "would-close");
  const lines: string[] = [];
  const outcome =
    open.length === 0 ? "no divergences" : `${open.length} divergence${open.length === 1 ? "" : "s"} open`;
  lines.push(
    dryRun
      ? `**Dry run \`${record.runId}\` finished: nothing was posted.** Outcome: ${outcome}.`
      : `**Run \`${record.runId}\` finished.** Outcome: ${outcome}.`,
  );
  lines.push("", `- Unique users, this run: **${totals.uniqueUsers}**`);
  lines.push(
    `- Consumed, per GitHub: **${totals.seatsConsumedReported}** (${difference === 0 ? "the same" : `${Math.abs(difference)} ${difference > 0 ? "fewer" : "more"} than this run`})`,
  );
  lines.push(`- Purchased: ${totals.seatsPurchased ?? "unknown"}`);
  const summary = result.summaryIssue;
  if (summary?.url) lines.push(`- Summary: [${cell(summary.title)}](${summary.url}) (${summary.action})`);
  else if (summary) lines.push(`- Summary: "${cell(summary.title)}" (${summary.action})`);
  for (const d of open) {
    const link = d.url && d.number !== null ? `[#${d.number}](${d.url})` : "new issue";
    lines.push(`- Divergence \`${divergenceKey(d)}\`: ${link} (${d.action})`);
  }
  if (closed.length > 0)
    lines.push(`- Resolved: ${closed.map((d) => (d.number !== null ? `#${d.number}` : divergenceKey(d))).join(", ")}`);
  if (dryRun) {
    lines.push(
      "",
      "<details>",
      "<summary>What a real run would post</summary>",
      "",
      ...result.plan.map((line) => `- ${cell(line)}`),
      "",
      "</details>",
    );
  }
  return `${lines.join("\n")}\n`;
}
