import { toReportJson } from "../publish/render/report-json.js";
import { renderTable } from "../publish/render/report-table.js";
import { renderSummaryMarkdown } from "../publish/render/summary-markdown.js";
import type { PublishResult } from "../publish/types.js";
import type { Report } from "../reconcile/model.js";

/** Prints a sync's report (same Report JSON as `report`) and what was, or would be, posted. */
export async function emitSyncOutput(report: Report, published: PublishResult, format: "table" | "json" | "markdown", dryRun: boolean): Promise<void> {
  const heading = dryRun ? "Would post (dry run, nothing was written):" : "Posted:";
  const planText = `${heading}\n${published.plan.map((line) => `  - ${line}`).join("\n")}\n`;
  let text: string;
  if (format === "json") text = `${JSON.stringify({ ...toReportJson(report), publish: { dryRun, ...published } }, null, 2)}\n`;
  else if (format === "markdown") text = `${renderSummaryMarkdown(report)}\n---\n\n${planText}`;
  else text = `${renderTable(report)}\n${planText}`;
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}
