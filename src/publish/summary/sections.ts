import {
  cell,
  details,
  type Divergence,
  MATCH_RULES,
  mdTable,
  type Report,
  type ServerOnlyPerson,
  trusted,
  UNMERGED_REASONS,
} from "../../shared/index.js";
import { divergenceMarkdown } from "../divergences/sentences.js";
import { diagnosisFix } from "../render/diagnosis-fix.js";
import { fitTable, mapRows, type FittedTable, type Row } from "../render/fit-table.js";
import { REASON_FIXES, REASON_LABELS, RULE_LABELS, percent } from "../render/labels.js";
import { completenessNotes } from "../render/report-table.js";

/** The pieces of the summary body, each a function of the report (and a budget where it can grow). */

const DOCS = {
  uniqueUsers:
    "https://docs.github.com/en/enterprise-cloud@latest/billing/managing-your-license-for-github-enterprise/about-licenses-for-github-enterprise",
  troubleshooting:
    "https://docs.github.com/en/enterprise-cloud@latest/billing/managing-your-license-for-github-enterprise/troubleshooting-license-usage-for-github-enterprise",
  sync: "https://docs.github.com/en/enterprise-server@latest/billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud",
};

/** The headline: purchased, consumed per GitHub, unique per this run, available, utilization. */
export function headlineSection(report: Report): string {
  const { totals } = report;
  const purchased = totals.seatsPurchased;
  const available = purchased === null ? null : purchased - totals.uniqueUsers;
  return [
    mdTable(
      ["", "Seats"],
      [
        ["Purchased", purchased],
        ["Consumed, per GitHub", totals.seatsConsumedReported],
        [trusted("**Unique users, this run**"), trusted(`**${totals.uniqueUsers}**`)],
        ["Available", available],
        ["Utilization", percent(totals.uniqueUsers, purchased)],
      ],
      ["l", "r"],
    ),
    ...completenessNotes(totals).map((note) => `> [!WARNING]\n> ${note}`),
    `Unique users = ${totals.cloudUsers} cloud users + ${totals.serverOnlyUsers} server-only users. ${totals.replacedCloudRows === 1 ? "1 stale server-only row in GitHub's list was" : `${totals.replacedCloudRows} stale server-only rows in GitHub's list were`} replaced by fresh server data.`,
  ].join("\n\n");
}

/** Divergences, each linked to its open issue when there is one. */
export function divergenceSection(
  divergences: Divergence[],
  links: Record<string, string>,
  budget: number,
): { text: string; omitted: number } {
  if (divergences.length === 0)
    return {
      text: "### Divergences\n\nNone: GitHub's numbers and this run agree within the configured thresholds.",
      omitted: 0,
    };
  const lines: string[] = [];
  let used = 0;
  for (const d of divergences) {
    const link = (d.subject ? links[`${d.kind}/${d.subject}`] : undefined) ?? links[d.kind];
    const line = `- **${d.kind}**${d.subject ? ` (${cell(d.subject)})` : ""}, ${d.severity}: ${divergenceMarkdown(d)}${link ? ` ${link}` : ""}`;
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
  }
  const omitted = divergences.length - lines.length;
  if (omitted > 0) lines.push(`- … and ${omitted} more divergences, each in its own issue.`);
  return { text: `### Divergences\n\n${lines.join("\n")}`, omitted };
}

/** Per-instance facts a report does not carry. */
export interface InstanceColumns {
  lastSync?: Record<string, string>;
  sources?: Record<string, string>;
  /** GHES's own `seats_used`, with how far this run's billable count is from it. */
  seatsUsed?: Record<string, string>;
}

/** Accounts, billable, matched, server-only, last sync and source per instance; folded when long. */
export function instancesSection(report: Report, columns: InstanceColumns, budget: number): FittedTable {
  const withSource = columns.sources !== undefined;
  const withSeats = columns.seatsUsed !== undefined;
  const header = [
    "Instance",
    ...(withSource ? ["Source"] : []),
    "Accounts",
    "Billable",
    ...(withSeats ? ["GHES seats_used"] : []),
    "Matched",
    "Server-only",
    "Last sync",
  ];
  const align: Array<"l" | "r"> = [
    "l",
    ...(withSource ? ["l" as const] : []),
    "r",
    "r",
    ...(withSeats ? ["r" as const] : []),
    "r",
    "r",
    "l",
  ];
  const toRow = (s: Report["servers"][number]): Row => [
    s.hostname,
    ...(withSource ? [columns.sources?.[s.hostname] ?? null] : []),
    s.accounts,
    s.billableAccounts,
    ...(withSeats ? [columns.seatsUsed?.[s.hostname] ?? null] : []),
    s.matchedToCloud,
    s.serverOnly,
    columns.lastSync?.[s.hostname] ?? null,
  ];
  const table = fitTable(header, mapRows(report.servers, toRow), align, budget - 200, report.servers.length);
  const body =
    table.omitted > 0
      ? `${table.text}\n\n${table.omitted} more instances are in the attached CSV and the history snapshot.`
      : table.text;
  const text =
    report.servers.length > 10
      ? `### Instances\n\n${details(`${report.servers.length} instances`, body)}`
      : `### Instances\n\n${body}`;
  return { ...table, text };
}

/** How server persons merged, rule by rule. */
export function mergesSection(report: Report): string {
  return `### How server persons merged\n\n${mdTable(
    ["Rule", "Persons"],
    MATCH_RULES.map((rule) => [RULE_LABELS[rule], report.totals.matchedBy[rule]]),
    ["l", "r"],
  )}`;
}

/** The reasons for double counting, most frequent first, with the fix for each. */
export function reasonsSection(report: Report): string {
  const reasons = UNMERGED_REASONS.filter((reason) => report.reasons[reason] > 0).sort(
    (a, b) => report.reasons[b] - report.reasons[a],
  );
  if (reasons.length === 0) return "";
  return `### Why server-only persons did not merge\n\n${mdTable(
    ["Reason", "Persons", "Fix"],
    reasons.map((reason) => [REASON_LABELS[reason], report.reasons[reason], REASON_FIXES[reason]]),
    ["l", "r", "l"],
  )}`;
}

/** Accounts of a person, at most three named. */
function accountsCell(person: ServerOnlyPerson): string {
  const shown = person.accounts.slice(0, 3).join(", ");
  return person.accounts.length > 3 ? `${shown} +${person.accounts.length - 3}` : shown;
}

/** A row of the persons tables; with `emails: hidden` the email column is left out. */
export function personRow(person: ServerOnlyPerson, emails: "masked" | "hidden", withFix: boolean): Row {
  return [
    ...(emails === "masked" ? [person.maskedEmail] : []),
    accountsCell(person),
    person.likelyCloudLogin,
    REASON_LABELS[person.reason],
    ...(withFix ? [diagnosisFix(person)] : []),
  ];
}

export function personHeader(emails: "masked" | "hidden", withFix: boolean): string[] {
  return [...(emails === "masked" ? ["Email"] : []), "Accounts", "Looks like", "Reason", ...(withFix ? ["Fix"] : [])];
}

/** How the numbers were computed, with links to GitHub's docs. */
export function methodSection(): string {
  return [
    "### How these numbers were computed",
    [
      `GitHub licenses Enterprise [by unique user](${DOCS.uniqueUsers}). This run collected every billable account of each instance above (suspended, \`ghost\` and \`scim-admin\` excluded) and GitHub's consumed-licenses list.`,
      "Server accounts with the same primary email are one person. A person merges with a cloud user when the email equals, in this order: a SAML/SCIM identity value, the SAML NameID, a verified-domain email, an email GitHub linked at an earlier sync, a Visual Studio subscription email.",
      `GitHub's own count changes only when each instance [syncs its license usage](${DOCS.sync}); see [troubleshooting license usage](${DOCS.troubleshooting}).`,
    ].join(" "),
  ].join("\n\n");
}
