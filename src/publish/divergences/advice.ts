import type { DivergenceKind } from "../../shared/index.js";

const DOCS = {
  licenses:
    "https://docs.github.com/en/enterprise-cloud@latest/billing/managing-your-license-for-github-enterprise/about-licenses-for-github-enterprise",
  troubleshooting:
    "https://docs.github.com/en/enterprise-cloud@latest/billing/managing-your-license-for-github-enterprise/troubleshooting-license-usage-for-github-enterprise",
  sync: "https://docs.github.com/en/enterprise-server@latest/billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud",
  upload:
    "https://docs.github.com/en/enterprise-server@latest/billing/managing-your-license-for-github-enterprise/uploading-a-new-license-to-github-enterprise-server",
  viewing:
    "https://docs.github.com/en/enterprise-cloud@latest/billing/managing-your-license-for-github-enterprise/viewing-license-usage-for-github-enterprise",
};

/** Issue titles per kind; `subject` (a hostname) is appended for per-instance kinds. */
export const DIVERGENCE_TITLES: Record<DivergenceKind, string> = {
  "over-consumed": "Seats over-consumed",
  "near-limit": "Seat usage near the purchased limit",
  "unique-count-mismatch": "Unique users differ from GitHub's consumed seats",
  "stale-sync": "License sync stale",
  "server-count-mismatch": "Server accounts differ from GitHub's rows",
  "license-expiring": "GHES license expiring or mismatched",
};

/** What an admin can do about each kind, with the GitHub docs that explain it. */
export const DIVERGENCE_ADVICE: Record<DivergenceKind, string> = {
  "over-consumed": `Buy more seats, or free some: check the weekly summary for server-only persons that are counted twice and fix their emails so GitHub merges them at the next sync. See [about licenses](${DOCS.licenses}).`,
  "near-limit": `Plan a seat purchase, or reclaim seats (pending invitations, people who left, accounts counted twice). See [viewing license usage](${DOCS.viewing}).`,
  "unique-count-mismatch": `The gap is made of the server persons GitHub cannot merge and of stale rows from earlier syncs. Fix the emails named in the weekly summary (reasons table), then sync every instance. See [troubleshooting license usage](${DOCS.troubleshooting}).`,
  "stale-sync": `On the instance, check license sync under GitHub Connect, press "Sync now" (GHES 3.5+), or export the license usage and upload it to the enterprise by hand. See [syncing license usage](${DOCS.sync}).`,
  "server-count-mismatch": `GitHub's rows for this instance come from its last sync. Sync it; if the gap stays, compare the instance's users with the consumed-licenses export. See [syncing license usage](${DOCS.sync}).`,
  "license-expiring": `Renew the license and upload the new license file to the instance; the GHES license should carry the seats purchased for the enterprise. See [uploading a new license](${DOCS.upload}).`,
};

/** Readable names of the figures divergences carry. */
export const FIGURE_LABELS: Record<string, string> = {
  purchased: "Purchased seats",
  consumed: "Seats consumed",
  consumedReported: "Consumed, per GitHub",
  uniqueUsers: "Unique users, this run",
  over: "Seats over",
  available: "Seats available",
  utilizationPercent: "Utilization (%)",
  difference: "Difference",
  serverOnlyUsers: "Server-only persons",
  replacedCloudRows: "Stale server-only rows replaced",
  reason: "Reason",
  lastSync: "Last sync",
  status: "Sync status",
  error: "Sync error",
  collected: "Collected in this run",
  billableAccounts: "Billable accounts, this run",
  githubRows: "GitHub rows naming the instance",
  persons: "Persons on the instance",
  ghesSeatsUsedDifference: "Difference to GHES seats_used",
  expiresOn: "License expires",
  seats: "GHES license seats",
};

/** A figure's label; reason counts (`reason.noEmail`) read as "Server-only: <reason>". */
export function figureLabel(key: string): string {
  if (key.startsWith("reason.")) return `Server-only: ${key.slice("reason.".length)}`;
  return FIGURE_LABELS[key] ?? key;
}
