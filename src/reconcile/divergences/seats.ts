import { type Divergence, type Report, type Totals, UNMERGED_REASONS } from "../../shared/index.js";
import type { DivergenceThresholds } from "./thresholds.js";

/** Adds the accounts that explain a unique-count gap: server-only persons by reason, most first. */
function explainUniqueGap(divergence: Divergence, reasons: Report["reasons"]): Divergence {
  const present = UNMERGED_REASONS.filter((reason) => reasons[reason] > 0).sort((a, b) => reasons[b] - reasons[a]);
  if (present.length === 0) return divergence;
  const figures = { ...divergence.figures };
  for (const reason of present) figures[`reason.${reason}`] = reasons[reason];
  return { ...divergence, figures };
}

/**
 * The divergences computable from one reconciliation alone: `over-consumed`, `near-limit` and
 * `unique-count-mismatch` (with the server-only persons by reason that explain the gap). Kinds
 * that need sync status or GHES licenses live with their inputs.
 *
 * @example seatDivergences(report.totals, report.reasons, DEFAULT_DIVERGENCE_THRESHOLDS)
 */
export function seatDivergences(
  totals: Totals,
  reasons: Report["reasons"],
  thresholds: Pick<DivergenceThresholds, "utilizationWarning" | "uniqueCountTolerance">,
): Divergence[] {
  const divergences: Divergence[] = [];
  const purchased = totals.seatsPurchased;
  const consumed = Math.max(totals.seatsConsumedReported, totals.uniqueUsers);
  if (purchased !== null && purchased > 0) {
    if (consumed > purchased) {
      divergences.push({
        kind: "over-consumed",
        severity: "critical",
        figures: {
          purchased,
          consumedReported: totals.seatsConsumedReported,
          uniqueUsers: totals.uniqueUsers,
          over: consumed - purchased,
        },
      });
    } else if (consumed / purchased >= thresholds.utilizationWarning) {
      const percent = Math.round((consumed / purchased) * 1000) / 10;
      divergences.push({
        kind: "near-limit",
        severity: "warning",
        figures: { purchased, consumed, available: purchased - consumed, utilizationPercent: String(percent) },
        context: { utilizationWarning: thresholds.utilizationWarning },
      });
    }
  }
  const difference = totals.uniqueUsers - totals.seatsConsumedReported;
  if (Math.abs(difference) > thresholds.uniqueCountTolerance) {
    const gap: Divergence = {
      kind: "unique-count-mismatch",
      severity: "warning",
      figures: {
        uniqueUsers: totals.uniqueUsers,
        consumedReported: totals.seatsConsumedReported,
        difference,
        serverOnlyUsers: totals.serverOnlyUsers,
        replacedCloudRows: totals.replacedCloudRows,
      },
    };
    divergences.push(explainUniqueGap(gap, reasons));
  }
  return divergences;
}
