import { maskEmails } from "../privacy/index.js";
import { renderCsv, renderJsonChunks, renderTable } from "../publish/render/index.js";
import { renderSummaryMarkdown } from "../publish/summary/index.js";
import { InputError, type Report } from "../shared/index.js";
import { writeFileAtomic } from "./atomic-write.js";

export type ReportFormat = "table" | "json" | "csv" | "markdown";

const RENDERERS: Record<ReportFormat, (report: Report) => string | Iterable<string>> = {
  table: (report) => renderTable(report),
  json: renderJsonChunks,
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

/** Every chunk through the email guard (renderers emit whole rows: an address never spans two). */
function* guarded(text: string | Iterable<string>): Iterable<string> {
  for (const chunk of typeof text === "string" ? [text] : text) yield maskEmails(chunk);
}

/**
 * Renders a report and writes it to `out` (atomically) or standard output. Unless the operator
 * asked for clear emails (`--show-emails`), the output passes the email guard.
 */
export async function emitReport(
  report: Report,
  format: ReportFormat,
  out: string | undefined,
  options: { showEmails?: boolean } = {},
): Promise<void> {
  const rendered = RENDERERS[format](report);
  const text = options.showEmails ? rendered : guarded(rendered);
  if (out) return writeFileAtomic(out, text);
  for (const chunk of typeof text === "string" ? [text] : text) {
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve));
  }
}
