import { maskEmails } from "../privacy/index.js";
import type { PublishResult } from "../publish/index.js";
import { renderTable, toReportJson } from "../publish/render/index.js";
import { renderSummaryMarkdown } from "../publish/summary/index.js";
import type { Report } from "../shared/index.js";

/**
 * Prints a sync's report (same Report JSON as `report`), what was (or would be) posted, and the
 * features the run did without (`warnings`, also noted in the summary issue), through the email
 * guard.
 */
export async function emitSyncOutput(
  report: Report,
  published: PublishResult,
  format: "table" | "json" | "markdown",
  dryRun: boolean,
  warnings: string[] = [],
): Promise<void> {
  const heading = dryRun ? "Would post (dry run, nothing was written):" : "Posted:";
  const planText = `${heading}\n${published.plan.map((line) => `  - ${line}`).join("\n")}\n`;
  const degraded = warnings.length > 0 ? `\nDegraded:\n${warnings.map((line) => `  - ${line}`).join("\n")}\n` : "";
  let text: string;
  if (format === "json")
    text = `${JSON.stringify({ ...toReportJson(report), warnings, publish: { dryRun, ...published } }, null, 2)}\n`;
  else if (format === "markdown") text = `${renderSummaryMarkdown(report)}\n---\n\n${planText}${degraded}`;
  else text = `${renderTable(report)}\n${planText}${degraded}`;
  if (!process.stdout.write(maskEmails(text))) await new Promise((resolve) => process.stdout.once("drain", resolve));
}
