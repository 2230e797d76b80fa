import { UNMERGED_REASONS, type Divergence, type Report, type Totals } from "../../shared/report.js";
import type { DivergenceThresholds } from "./thresholds.js";

/** Adds the accounts that explain a unique-count gap: server-only persons by reason. */
function explainUniqueGap(divergence: Divergence, reasons: Report["reasons"]): Divergence {
  const present = UNMERGED_REASONS.filter((reason) => reasons[reason] > 0).sort((a, b) => reasons[b] - reasons[a]);
  if (present.length === 0) return divergence;
  const figures = { ...divergence.figures };
  for (const reason of present) figures[`reason.${reason}`] = reasons[reason];
  const listed = present.map((reason) => `${reasons[reason]} ${reason}`).join(", ");
  return { ...divergence, figures, summary: `${divergence.summary} Server-only persons by reason: ${listed}.` };
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
        summary: `${consumed} seats consumed but only ${purchased} purchased (${consumed - purchased} over). GitHub reports ${totals.seatsConsumedReported}; this run counts ${totals.uniqueUsers} unique users.`,
        figures: {
          purchased,
          consumedReported: totals.seatsConsumedReported,
          uniqueUsers: totals.uniqueUsers,
          over: consumed - purchased,
        },
      });
    } else {
      const percent = Math.round((consumed / purchased) * 1000) / 10;
      if (consumed / purchased >= thresholds.utilizationWarning) {
        divergences.push({
          kind: "near-limit",
          severity: "warning",
          summary: `${consumed} of ${purchased} seats in use (${percent}%), at or above the ${Math.round(thresholds.utilizationWarning * 100)}% warning threshold; ${purchased - consumed} left.`,
          figures: { purchased, consumed, available: purchased - consumed, utilizationPercent: String(percent) },
        });
      }
    }
  }
  const difference = totals.uniqueUsers - totals.seatsConsumedReported;
  if (Math.abs(difference) > thresholds.uniqueCountTolerance) {
    const direction = difference > 0 ? "more" : "fewer";
    const gap: Divergence = {
      kind: "unique-count-mismatch",
      severity: "warning",
      summary: `This run counts ${totals.uniqueUsers} unique users, ${Math.abs(difference)} ${direction} than GitHub's ${totals.seatsConsumedReported}. ${totals.serverOnlyUsers === 1 ? "1 server person" : `${totals.serverOnlyUsers} server persons`} merged with no cloud account and ${totals.replacedCloudRows === 1 ? "1 stale server-only row was" : `${totals.replacedCloudRows} stale server-only rows were`} replaced by fresh server data.`,
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
