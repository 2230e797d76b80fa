import { renderCsv } from "../publish/render/report-csv.js";
import { renderJson } from "../publish/render/report-json.js";
import { renderTable } from "../publish/render/report-table.js";
import { renderSummaryMarkdown } from "../publish/render/summary-markdown.js";
import { InputError } from "../errors.js";
import type { Report } from "../reconcile/model.js";
import { writeFileAtomic } from "./atomic-write.js";

export type ReportFormat = "table" | "json" | "csv" | "markdown";

const RENDERERS: Record<ReportFormat, (report: Report) => string> = {
  table: (report) => renderTable(report),
  json: renderJson,
  csv: renderCsv,
  markdown: (report) => renderSummaryMarkdown(report),
};

/** Checks `--format` against the formats a command offers. */
export function parseFormat(value: string | undefined, allowed: ReportFormat[]): ReportFormat {
  const format = (value ?? "table") as ReportFormat;
  if (!allowed.includes(format)) {
    throw new InputError("command line", `--format ${value}`, "unknown format", `Use one of: ${allowed.join(", ")}.`);
  }
  return format;
}

/** Renders a report and writes it to `out` (atomically) or standard output. */
export async function emitReport(report: Report, format: ReportFormat, out: string | undefined): Promise<void> {
  const text = RENDERERS[format](report);
  if (out) await writeFileAtomic(out, text);
  else process.stdout.write(text);
}
