import type { Report } from "../../shared/index.js";

/** Where the unique users' seats come from; the three add up to `totals.uniqueUsers`. */
export interface SeatSources {
  /** GHEC accounts with no server account known. */
  cloudOnly: number;
  /** Server persons that merged with no cloud row, plus GitHub's unsynced server-only rows. */
  serverOnly: number;
  /** GHEC accounts with server accounts: merged in this run, or linked by GitHub's last sync. */
  both: number;
}

/**
 * Splits the unique users by source. With per-person lists (`cloudRows`), exact; without them
 * (the app's runs skip them to save memory) an estimate from the totals: each merge rule hit is
 * one cloud account that also has server accounts.
 *
 * @example seatSources(report) // { cloudOnly: 812, serverOnly: 45, both: 377 }
 */
export function seatSources(report: Pick<Report, "totals" | "cloudRows" | "matched">): SeatSources {
  const { totals } = report;
  if (report.cloudRows.length === totals.cloudUsers && totals.cloudUsers > 0) {
    const merged = new Set(report.matched.map((m) => m.cloudIndex));
    let both = 0;
    let unsynced = 0;
    for (const row of report.cloudRows) {
      if (!row.githubComUser) unsynced++;
      else if (merged.has(row.index) || row.hosts.length > 0) both++;
    }
    return { cloudOnly: totals.cloudUsers - both - unsynced, serverOnly: totals.serverOnlyUsers + unsynced, both };
  }
  const merges = Object.values(totals.matchedBy).reduce((sum, n) => sum + n, 0);
  const both = Math.min(merges, totals.cloudUsers);
  return { cloudOnly: totals.cloudUsers - both, serverOnly: totals.serverOnlyUsers, both };
}
