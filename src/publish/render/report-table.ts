import { MATCH_RULES, printable, type Report, type Totals, UNMERGED_REASONS } from "../../shared/index.js";
import { divergenceSummary } from "../divergences/sentences.js";
import { REASON_LABELS, RULE_LABELS, percent } from "./labels.js";

const NUMERIC = /^(-?[\d.]+%?|unknown|n\/a)$/;

/** Text left-aligned, numbers right-aligned, two spaces between columns; cells made {@link printable}. */
export function alignTable(cells: string[][]): string {
  const rows = cells.map((row) => row.map(printable));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column > 0 && NUMERIC.test(cell) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** What the report knows of the cloud list's completeness, for every rendering; empty when checked and whole. */
export function completenessNotes(totals: Totals): string[] {
  if (
    totals.partial &&
    totals.cloudRowsRead !== undefined &&
    totals.seatsConsumedReported !== null &&
    totals.cloudRowsRead >= totals.seatsConsumedReported
  ) {
    return [
      `PARTIAL: GitHub's consumed-licenses pages are not one snapshot (${totals.cloudRowsRead} distinct rows against a total_seats_consumed of ${totals.seatsConsumedReported}, or pages that disagree on it); counts may be off. Save every page again in one go and run again.`,
    ];
  }
  if (totals.partial) {
    return [
      `PARTIAL: GitHub's consumed-licenses list held ${totals.cloudRowsRead ?? "fewer"} of ${totals.seatsConsumedReported} rows; every count here is low. Save every page and run again.`,
    ];
  }
  if (totals.completenessChecked === false)
    return [
      "Completeness not checked: the cloud input carries no totals (license CSV or bare user rows), so seats purchased is unknown.",
    ];
  return [];
}

const completenessLines = (totals: Totals) => completenessNotes(totals).flatMap((note) => [note, ""]);

/** The aligned terminal summary of `report --format table`. */
export function renderTable(report: Report, options: { topPeople?: number } = {}): string {
  const { totals } = report;
  const n = (value: number | null) => (value === null ? "unknown" : String(value));
  const sections = [
    ...completenessLines(totals),
    "License usage",
    alignTable([
      ["Seats purchased", n(totals.seatsPurchased)],
      ["Consumed (GitHub's count)", n(totals.seatsConsumedReported)],
      ["Unique users (this run)", n(totals.uniqueUsers)],
      ["  cloud users", n(totals.cloudUsers)],
      ["  server-only users", n(totals.serverOnlyUsers)],
      ["Utilization", percent(totals.uniqueUsers, totals.seatsPurchased)],
      ["Stale server-only rows replaced", n(totals.replacedCloudRows)],
    ]),
    "",
    "Server persons merged with cloud users, by rule",
    alignTable(MATCH_RULES.map((rule) => [`  ${RULE_LABELS[rule]}`, n(totals.matchedBy[rule])])),
    "",
    alignTable([
      ["Instance", "Accounts", "Billable", "Persons", "Matched", "Server-only"],
      ...report.servers.map((s) => [
        s.hostname,
        n(s.accounts),
        n(s.billableAccounts),
        n(s.persons),
        n(s.matchedToCloud),
        n(s.serverOnly),
      ]),
    ]),
    "",
    "Why server-only persons did not merge",
    alignTable(UNMERGED_REASONS.map((reason) => [`  ${REASON_LABELS[reason]}`, n(report.reasons[reason])])),
  ];
  const top = report.people.filter((p) => p.reason !== "noCloudAccount").slice(0, options.topPeople ?? 10);
  if (top.length > 0) {
    sections.push(
      "",
      "Most likely double counted",
      alignTable([
        ["Email", "Hosts", "Looks like", "Reason"],
        ...top.map((p) => [
          p.email ?? p.maskedEmail ?? "(none)",
          p.hosts.join(","),
          p.likelyCloudLogin ?? "",
          p.reason,
        ]),
      ]),
    );
  }
  sections.push("", report.divergences.length === 0 ? "No divergences." : "Divergences");
  for (const d of report.divergences) sections.push(printable(`  [${d.severity}] ${d.kind}: ${divergenceSummary(d)}`));
  return `${sections.join("\n")}\n`;
}
