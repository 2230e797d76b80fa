import { DAY_MS, isoDay, type InstanceFact } from "./input.js";
import type { CloudLicense, Divergence, ServerSummary } from "../../shared/index.js";

/**
 * How many of GitHub's consumed-licenses rows name each host in `enterprise_server_user_ids`
 * (a row naming a host twice counts once), keyed by lower-cased hostname.
 *
 * @example countRowsPerHost(usage.licenses).get("ghes-a.corp.example") // 1234
 */
export function countRowsPerHost(licenses: Iterable<Pick<CloudLicense, "serverUserIds">>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of licenses) {
    for (const host of new Set(row.serverUserIds.map((id) => id.hostname.toLowerCase())))
      counts.set(host, (counts.get(host) ?? 0) + 1);
  }
  return counts;
}

/**
 * `server-count-mismatch`, one per collected instance: its fresh billable accounts against the
 * rows of GitHub's list that name it, raised when they differ by more than `tolerance`. GitHub
 * only learns about an instance's accounts when it syncs, so a gap means GitHub's view is old
 * (or accounts were added, suspended or removed since).
 *
 * @example serverCountDivergences(report.servers, ["ghes-a"], countRowsPerHost(rows), 0, instances)
 */
export function serverCountDivergences(
  servers: ServerSummary[],
  collectedHosts: string[],
  rowsPerHost: Map<string, number>,
  tolerance: number,
  instances: InstanceFact[],
): Divergence[] {
  const collected = new Set(collectedHosts.map((h) => h.toLowerCase()));
  const divergences: Divergence[] = [];
  for (const server of [...servers].sort((a, b) => (a.hostname < b.hostname ? -1 : 1))) {
    const host = server.hostname.toLowerCase();
    if (!collected.has(host)) continue;
    const githubRows = rowsPerHost.get(host) ?? 0;
    const difference = server.billableAccounts - githubRows;
    if (Math.abs(difference) <= tolerance) continue;
    const ghesDifference = instances.find((i) => i.hostname.toLowerCase() === host)?.seatsUsedDifference ?? null;
    const figures: Record<string, number | string> = {
      billableAccounts: server.billableAccounts,
      githubRows,
      difference,
      persons: server.persons,
    };
    if (ghesDifference !== null && ghesDifference !== 0) figures.ghesSeatsUsedDifference = ghesDifference;
    divergences.push({
      kind: "server-count-mismatch",
      severity: "warning",
      figures,
      context: { serverCountTolerance: tolerance },
      subject: host,
    });
  }
  return divergences;
}

/** Whole days from `now` until the license expires (negative once expired); null when unknown. */
function daysLeft(license: NonNullable<InstanceFact["license"]>, now: Date): number | null {
  const expires = license.expiresAt === null ? Number.NaN : Date.parse(license.expiresAt);
  if (!Number.isNaN(expires)) return Math.floor((expires - now.getTime()) / DAY_MS);
  return license.daysUntilExpiration;
}

/**
 * `license-expiring`, one per instance: its GHES license expires within `expiryDays` (or has
 * expired), or its seats differ from the GHEC purchased seats (one unique-user license covers
 * both sides, so the two files should carry the same number; "unlimited" never differs).
 *
 * @example licenseDivergences(instances, 1000, 30, new Date())
 */
export function licenseDivergences(
  instances: InstanceFact[],
  purchased: number | null,
  expiryDays: number,
  now: Date,
): Divergence[] {
  const divergences: Divergence[] = [];
  for (const instance of [...instances].sort((a, b) => (a.hostname < b.hostname ? -1 : 1))) {
    const license = instance.license;
    if (!license) continue;
    const host = instance.hostname.toLowerCase();
    const days = daysLeft(license, now);
    const expiring = days !== null && days <= expiryDays;
    const seatsDiffer = purchased !== null && typeof license.seats === "number" && license.seats !== purchased;
    if (!expiring && !seatsDiffer) continue;
    // Without a date GHES gives only the days left, which move daily: they stay in `context`.
    const expiresOn = license.expiresAt ? isoDay(license.expiresAt) : days === null ? "unknown" : "date not given";
    divergences.push({
      kind: "license-expiring",
      severity: expiring && days <= 7 ? "critical" : expiring ? "warning" : "notice",
      // Days left change daily; the expiry date and seats change only with a new license.
      figures: {
        reason: [expiring ? "expiring" : "", seatsDiffer ? "seats" : ""].filter(Boolean).join("+"),
        expiresOn,
        seats: String(license.seats),
        purchased: purchased ?? "unknown",
      },
      context: { daysLeft: days, licenseExpiryDays: expiryDays },
      subject: host,
    });
  }
  return divergences;
}
