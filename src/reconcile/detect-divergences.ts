import { DEFAULT_DIVERGENCE_THRESHOLDS, type DetectDivergencesInput } from "./detect-divergences-input.js";
import { countRowsPerHost, licenseDivergences, serverCountDivergences } from "./detect-divergences-instances.js";
import { staleSyncDivergences } from "./detect-divergences-sync.js";
import { seatDivergences } from "./divergences.js";
import { UNMERGED_REASONS, type Divergence, type DivergenceKind } from "./model.js";

export type {
  DetectDivergencesInput,
  DivergenceThresholds,
  InstanceFact,
  LicenseFact,
  SyncFact,
} from "./detect-divergences-input.js";
export { DEFAULT_DIVERGENCE_THRESHOLDS } from "./detect-divergences-input.js";
export { countRowsPerHost } from "./detect-divergences-instances.js";

/** The order divergences are listed in: seats first, then per-instance kinds. */
export const DIVERGENCE_KINDS: readonly DivergenceKind[] = [
  "over-consumed",
  "near-limit",
  "unique-count-mismatch",
  "stale-sync",
  "server-count-mismatch",
  "license-expiring",
];

/** Adds the accounts that explain a unique-count gap: server-only persons by reason. */
function explainUniqueGap(divergence: Divergence, reasons: DetectDivergencesInput["report"]["reasons"]): Divergence {
  const present = UNMERGED_REASONS.filter((reason) => reasons[reason] > 0).sort((a, b) => reasons[b] - reasons[a]);
  if (present.length === 0) return divergence;
  const figures = { ...divergence.figures };
  for (const reason of present) figures[`reason.${reason}`] = reasons[reason];
  const listed = present.map((reason) => `${reasons[reason]} ${reason}`).join(", ");
  return { ...divergence, figures, summary: `${divergence.summary} Server-only persons by reason: ${listed}.` };
}

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
 * The report's own `divergences` are ignored: they were computed with the engine's thresholds.
 *
 * @example
 *   const divergences = detectDivergences({ report, syncStatus, instances, cloud: usage,
 *     collectedHosts: ["ghes-a.corp.example"], thresholds: config.thresholds, now: new Date() });
 *   const record = { ...run, report: { ...report, divergences } };
 */
export function detectDivergences(input: DetectDivergencesInput): Divergence[] {
  const thresholds = { ...DEFAULT_DIVERGENCE_THRESHOLDS, ...input.thresholds };
  const purchased = input.seatsPurchased ?? input.report.totals.seatsPurchased;
  const totals = { ...input.report.totals, seatsPurchased: purchased };
  const seats = seatDivergences(totals, {
    nearLimitRatio: thresholds.utilizationWarning,
    uniqueCountTolerance: thresholds.uniqueCountTolerance,
  }).map((d) => (d.kind === "unique-count-mismatch" ? explainUniqueGap(d, input.report.reasons) : d));
  const all = [
    ...seats,
    ...staleSyncDivergences(input.collectedHosts, input.syncStatus, thresholds.staleSyncDays, input.now),
    ...serverCountDivergences(
      input.report.servers,
      input.collectedHosts,
      countRowsPerHost(input.cloud.licenses),
      thresholds.serverCountTolerance,
      input.instances,
    ),
    ...licenseDivergences(input.instances, purchased, thresholds.licenseExpiryDays, input.now),
  ];
  const rank = (d: Divergence) => DIVERGENCE_KINDS.indexOf(d.kind);
  return all.sort((a, b) => rank(a) - rank(b) || (a.subject ?? "").localeCompare(b.subject ?? ""));
}
