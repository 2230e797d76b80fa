import type { Report } from "../../reconcile/model.js";
import { MATCH_RULES, UNMERGED_REASONS } from "../../reconcile/model.js";
import { REASON_FIXES, REASON_LABELS, RULE_LABELS, percent } from "./labels.js";
import { details, mdTable } from "./markdown.js";

const DOCS = {
  uniqueUsers: "https://docs.github.com/en/enterprise-cloud@latest/billing/managing-your-license-for-github-enterprise/about-licenses-for-github-enterprise",
  troubleshooting: "https://docs.github.com/en/enterprise-cloud@latest/billing/managing-your-license-for-github-enterprise/troubleshooting-license-usage-for-github-enterprise",
  sync: "https://docs.github.com/en/enterprise-server@latest/billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud",
};

/** Extra sections the app adds around the report (trend charts, links to divergence issues). */
export interface SummaryExtras {
  title?: string;
  /** Markdown inserted after the headline (e.g. Mermaid charts). */
  charts?: string;
  /** Links to open divergence issues, by kind. */
  divergenceLinks?: Record<string, string>;
  /** How many server-only persons to list. */
  topPeople?: number;
  /** Last sync per hostname, from `license-sync-status`. */
  lastSync?: Record<string, string>;
}

/** The summary issue body (`report --format markdown`). */
export function renderSummaryMarkdown(report: Report, extras: SummaryExtras = {}): string {
  const { totals } = report;
  const purchased = totals.seatsPurchased;
  const available = purchased === null ? null : purchased - totals.uniqueUsers;
  const parts: string[] = [];
  if (extras.title) parts.push(`## ${extras.title}`);
  parts.push(
    mdTable(["", "Seats"], [
      ["Purchased", purchased],
      ["Consumed, per GitHub", totals.seatsConsumedReported],
      ["**Unique users, this run**", `**${totals.uniqueUsers}**`],
      ["Available", available],
      ["Utilization", percent(totals.uniqueUsers, purchased)],
    ], ["l", "r"]),
    `Unique users = ${totals.cloudUsers} cloud users + ${totals.serverOnlyUsers} server-only users. ${totals.replacedCloudRows} stale server-only rows in GitHub's list were replaced by fresh server data.`,
  );
  if (extras.charts) parts.push(extras.charts);
  if (report.divergences.length > 0) {
    parts.push("### Divergences", report.divergences.map((d) => {
      const link = extras.divergenceLinks?.[d.kind];
      return `- **${d.kind}** (${d.severity}): ${d.summary}${link ? ` ${link}` : ""}`;
    }).join("\n"));
  } else parts.push("### Divergences", "None: GitHub's numbers and this run agree within the configured thresholds.");
  parts.push("### Instances", mdTable(
    ["Instance", "Accounts", "Billable", "Matched", "Server-only", "Last sync"],
    report.servers.map((s) => [s.hostname, s.accounts, s.billableAccounts, s.matchedToCloud, s.serverOnly, extras.lastSync?.[s.hostname] ?? null]),
    ["l", "r", "r", "r", "r", "l"],
  ));
  parts.push("### How server persons merged", mdTable(["Rule", "Persons"], MATCH_RULES.map((rule) => [RULE_LABELS[rule], totals.matchedBy[rule]]), ["l", "r"]));
  const reasons = UNMERGED_REASONS.filter((reason) => report.reasons[reason] > 0).sort((a, b) => report.reasons[b] - report.reasons[a]);
  if (reasons.length > 0) {
    parts.push("### Why server-only persons did not merge", mdTable(["Reason", "Persons", "Fix"], reasons.map((reason) => [REASON_LABELS[reason], report.reasons[reason], REASON_FIXES[reason]]), ["l", "r", "l"]));
  }
  const top = report.people.filter((p) => p.reason !== "noCloudAccount").slice(0, extras.topPeople ?? 20);
  if (top.length > 0) {
    parts.push(details(`The ${top.length} server-only persons most likely counted twice`, mdTable(
      ["Email", "Accounts", "Looks like", "Reason", "Fix"],
      top.map((p) => [p.maskedEmail, p.accounts.join(", "), p.likelyCloudLogin, REASON_LABELS[p.reason], p.fix]),
    )));
  }
  parts.push("### How these numbers were computed", [
    `GitHub licenses Enterprise [by unique user](${DOCS.uniqueUsers}). This run collected every billable account of each instance above (suspended, \`ghost\` and \`scim-admin\` excluded) and GitHub's consumed-licenses list.`,
    "Server accounts with the same primary email are one person. A person merges with a cloud user when the email equals, in this order: a SAML/SCIM identity value, the SAML NameID, a verified-domain email, an email GitHub linked at an earlier sync, a Visual Studio subscription email.",
    `GitHub's own count changes only when each instance [syncs its license usage](${DOCS.sync}); see [troubleshooting license usage](${DOCS.troubleshooting}).`,
  ].join(" "));
  return `${parts.join("\n\n")}\n`;
}
