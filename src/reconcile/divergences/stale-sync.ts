import { DAY_MS, isoDay, type SyncFact } from "./input.js";
import type { Divergence } from "../../shared/index.js";

type StaleReason = "missing" | "never" | "failed" | "stale";

/**
 * `stale-sync`, one per instance (`subject` = hostname). An instance is stale when it was
 * collected in this run but GitHub's `license-sync-status` does not list it, when it never
 * synced, when its last sync is `staleSyncDays` or more old, or when the last sync did not succeed
 * (only `success` is documented; anything else is a failure and GitHub's error is shown).
 * Instances GitHub lists but this run did not collect are checked too: their rows still count.
 *
 * Figures hold no age (it is `context.ageDays`): a sync that stays stale must not look "changed"
 * every day.
 *
 * @example staleSyncDivergences(["ghes-a"], [], 8, new Date()) // [{ kind: "stale-sync", subject: "ghes-a", figures: { reason: "missing", ... } }]
 */
export function staleSyncDivergences(
  collectedHosts: string[],
  syncStatus: SyncFact[],
  staleSyncDays: number,
  now: Date,
): Divergence[] {
  const byHost = new Map(syncStatus.map((s) => [s.hostname.toLowerCase(), s]));
  const hosts = [...new Set([...collectedHosts.map((h) => h.toLowerCase()), ...byHost.keys()])].sort();
  const collected = new Set(collectedHosts.map((h) => h.toLowerCase()));
  const divergences: Divergence[] = [];
  for (const host of hosts) {
    const status = byHost.get(host);
    const reasons: StaleReason[] = [];
    let ageDays: number | null = null;
    if (!status) reasons.push("missing");
    else {
      const last = status.lastSyncAt === null ? Number.NaN : Date.parse(status.lastSyncAt);
      if (Number.isNaN(last)) reasons.push("never");
      else {
        ageDays = Math.floor((now.getTime() - last) / DAY_MS);
        // "older than staleSyncDays": at the threshold counts, so a weekly sync has one day of grace.
        if (now.getTime() - last >= staleSyncDays * DAY_MS) reasons.push("stale");
      }
      if (status.status !== "success") reasons.push("failed");
    }
    if (reasons.length === 0) continue;
    const lastSync = status?.lastSyncAt ? isoDay(status.lastSyncAt) : "never";
    const reportedStatus = status ? (status.reportedStatus ?? status.status) : "not listed";
    divergences.push({
      kind: "stale-sync",
      // A failure or an instance GitHub never heard of is worse than a late sync.
      severity:
        reasons.includes("failed") || reasons.includes("missing") || reasons.includes("never") ? "critical" : "warning",
      figures: {
        reason: reasons.join("+"),
        lastSync,
        status: reportedStatus,
        error: status?.error ?? "",
        collected: collected.has(host) ? "yes" : "no",
      },
      context: { ageDays, staleSyncDays },
      subject: host,
    });
  }
  return divergences;
}
