import type { Divergence, DivergenceKind } from "../../shared/index.js";
import type { DetectDivergencesInput } from "./input.js";
import { countRowsPerHost, licenseDivergences, serverCountDivergences } from "./instances.js";
import { seatDivergences } from "./seats.js";
import { staleSyncDivergences } from "./stale-sync.js";
import { DEFAULT_DIVERGENCE_THRESHOLDS } from "./thresholds.js";

/** The order divergences are listed in: seats first, then per-instance kinds. */
export const DIVERGENCE_KINDS: readonly DivergenceKind[] = [
  "over-consumed",
  "near-limit",
  "unique-count-mismatch",
  "stale-sync",
  "server-count-mismatch",
  "license-expiring",
];

/**
 * Every divergence of one run, in a stable order (kind, then subject). Pure: no I/O, no clock
 * but `now`. Kinds and when they appear (thresholds from the repository config):
 *  1. `over-consumed`: GitHub's consumed seats or this run's unique users above purchased seats
 *  2. `near-limit`: utilization at or above `utilizationWarning` (default 0.9)
 *  3. `unique-count-mismatch`: unique users vs GitHub's consumed seats beyond `uniqueCountTolerance`
 *  4. `stale-sync` (per instance): not in license-sync-status, never synced, last sync
 *     `staleSyncDays` (default 8) or more old, or last sync failed
 *  5. `server-count-mismatch` (per instance): billable accounts vs GitHub's rows naming the host
 *     beyond `serverCountTolerance`
 *  6. `license-expiring` (per instance): expiry within `licenseExpiryDays` (default 30), or GHES
 *     seats that differ from purchased seats
 * Without `run` (an offline report) only kinds 1-3 are detected.
 *
 * @example
 *   report.divergences = detectDivergences({ report, thresholds: repoConfig.thresholds,
 *     run: { syncStatus, instances, cloudRows: usage.licenses, collectedHosts: ["ghes-a.corp.example"], now } });
 */
export function detectDivergences(input: DetectDivergencesInput): Divergence[] {
  const thresholds = { ...DEFAULT_DIVERGENCE_THRESHOLDS, ...input.thresholds };
  const purchased = input.seatsPurchased ?? input.report.totals.seatsPurchased;
  const totals = { ...input.report.totals, seatsPurchased: purchased };
  const all = seatDivergences(totals, input.report.reasons, thresholds);
  const run = input.run;
  if (run)
    all.push(
      ...staleSyncDivergences(run.collectedHosts, run.syncStatus, thresholds.staleSyncDays, run.now),
      ...serverCountDivergences(
        input.report.servers,
        run.collectedHosts,
        countRowsPerHost(run.cloudRows),
        thresholds.serverCountTolerance,
        run.instances,
      ),
      ...licenseDivergences(run.instances, purchased, thresholds.licenseExpiryDays, run.now),
    );
  const rank = (d: Divergence) => DIVERGENCE_KINDS.indexOf(d.kind);
  return all.sort((a, b) => rank(a) - rank(b) || (a.subject ?? "").localeCompare(b.subject ?? ""));
}
