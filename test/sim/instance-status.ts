import type { HostCensus } from "./census.js";
import type { ResolvedOptions } from "./dataset-options.js";
import { RETIRED_HOST, type GhesLicense, type GhesUserStats, type LicenseSyncStatus } from "./dataset-types.js";
import { hash32, hashString } from "./prng.js";

const DAY = 86_400_000;
const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

/**
 * GHES `/enterprise/settings/license` of the host at `position`. Hosts differ on purpose: the
 * first has "unlimited" seats, and `expire_at` alternates between the two formats GHES has used
 * (GitHub's API docs): `2016/02/06 12:41:52 -0600` and ISO 8601.
 */
export function licenseOf(seen: HostCensus, position: number, now: number): GhesLicense {
  const days = 120 + position * 45;
  const expires = isoSeconds(now + days * DAY);
  const expireAt =
    position % 2 === 0 ? `${expires.slice(0, 10).replaceAll("-", "/")} ${expires.slice(11, 19)} +0000` : expires;
  const seats = position === 0 ? "unlimited" : Math.ceil(seen.billableAccounts * 1.2) + 10;
  return {
    seats,
    // seats_used excludes suspended users: it is the billable count.
    seats_used: seen.billableAccounts,
    seats_available: seats === "unlimited" ? "unlimited" : seats - seen.billableAccounts,
    kind: "standard",
    days_until_expiration: days,
    expire_at: expireAt,
  };
}

/** GHES `/enterprise/stats/users`. */
export function statsOf(seen: HostCensus): GhesUserStats {
  return { total_users: seen.accounts, admin_users: seen.adminUsers, suspended_users: seen.suspendedUsers };
}

/**
 * GHEC `license-sync-status`: every host synced in the last days, plus a retired instance GitHub
 * still lists whose last sync failed (anything but "success" is a failure, GitHub's API docs).
 */
export function syncStatusOf(options: ResolvedOptions, now: number): LicenseSyncStatus {
  const instances = options.hosts.map((hostname, n) => ({
    server_id: hash32(options.seed, hashString(hostname)).toString(16).padStart(8, "0"),
    hostname,
    last_sync: { date: isoSeconds(now - (1 + n) * DAY), status: "success", error: "" },
  }));
  instances.push({
    server_id: "retired01",
    hostname: RETIRED_HOST,
    last_sync: { date: isoSeconds(now - 120 * DAY), status: "failed", error: "License upload could not be processed" },
  });
  return { server_instances: instances };
}
