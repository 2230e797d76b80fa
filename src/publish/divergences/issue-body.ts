import { cell, type CellValue, type Divergence, mdTable } from "../../shared/index.js";
import { marker, stateComment } from "../issues/markers.js";
import { DIVERGENCE_ADVICE, DIVERGENCE_TITLES, figureLabel } from "./advice.js";
import { divergenceMarkdown } from "./sentences.js";

/** What a divergence issue remembers between runs (hidden in its body). */
export interface DivergenceState {
  figures: Divergence["figures"];
  /** Run and day the issue was opened. */
  openedRun: string;
  openedOn: string;
  /** Run that last changed the figures. */
  changedRun: string;
  /** The closed issue this one follows, when the divergence came back. */
  previous?: { number: number; url: string };
}

const ALERT: Record<Divergence["severity"], string> = { critical: "CAUTION", warning: "WARNING", notice: "NOTE" };

/** The marker that finds a divergence issue again: kind, subject (when per instance), enterprise. */
export function divergenceMarker(divergence: Pick<Divergence, "kind" | "subject">, enterprise: string): string {
  return marker("divergence", { kind: divergence.kind, subject: divergence.subject, enterprise });
}

/**
 * @example divergenceTitle({ kind: "stale-sync", subject: "ghes-a" }) // "[license-sync] License sync stale: ghes-a"
 */
export function divergenceTitle(divergence: Pick<Divergence, "kind" | "subject">): string {
  return `[license-sync] ${DIVERGENCE_TITLES[divergence.kind]}${divergence.subject ? `: ${divergence.subject}` : ""}`;
}

/**
 * The body of a divergence issue: marker and state first (hidden), the alert, figures, advice.
 * It holds nothing that changes from run to run unless the divergence does, so an unchanged
 * divergence leaves its issue untouched.
 *
 * @example renderDivergenceBody(divergence, "acme", { figures, openedRun: "r1", openedOn: "2026-11-24", changedRun: "r1" })
 */
export function renderDivergenceBody(divergence: Divergence, enterprise: string, state: DivergenceState): string {
  const figures = Object.entries(divergence.figures).map(([key, value]) => [
    figureLabel(key),
    value === "" ? null : value,
  ]);
  const lines = [
    divergenceMarker(divergence, enterprise),
    stateComment({ ...state, figures: divergence.figures }),
    `> [!${ALERT[divergence.severity]}]`,
    `> **${divergence.severity}** · \`${divergence.kind}\`${divergence.subject ? ` · ${cell(divergence.subject)}` : ""} · enterprise \`${enterprise}\``,
    ">",
    `> ${divergenceMarkdown(divergence)}`,
    "",
    mdTable(["Figure", "Value"], figures as CellValue[][], ["l", "r"]),
    "",
    "### What to do",
    DIVERGENCE_ADVICE[divergence.kind],
    "",
    `<sub>Opened by license-sync in run \`${state.openedRun}\` on ${state.openedOn}; figures last changed in run \`${state.changedRun}\`.` +
      (state.previous
        ? ` This divergence came back: it follows #${state.previous.number}, closed when it resolved.`
        : "") +
      " The app updates this issue while the divergence lasts and closes it when it resolves; keep the hidden first line of the body.</sub>",
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * The short comment posted when figures change: only the figures that moved.
 *
 * @example figuresChangedComment({ over: 3 }, { over: 5 }, "r2") // "Figures changed in run `r2`: Seats over 3 → 5."
 */
export function figuresChangedComment(
  before: Divergence["figures"],
  after: Divergence["figures"],
  runId: string,
): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const moved = keys
    .filter((key) => before[key] !== after[key])
    .map((key) => `${figureLabel(key)} ${cell(before[key] ?? "–")} → ${cell(after[key] ?? "–")}`);
  return `Figures changed in run \`${runId}\`: ${moved.join("; ")}.`;
}

/** The comment that closes a resolved divergence. */
export function resolvedComment(runId: string, day: string): string {
  return `Resolved: run \`${runId}\` on ${day} no longer detects this divergence. Closing; if it comes back, a new issue will be opened that links this one.`;
}

/** The comment that closes a duplicate opened by a concurrent run. */
export function duplicateComment(keep: { number: number }): string {
  return `Duplicate of #${keep.number}: two runs opened the same issue at the same time. Closing this one.`;
}

/** Whether two figure sets are equal (same keys, same values). */
export function sameFigures(a: Divergence["figures"] | undefined, b: Divergence["figures"]): boolean {
  if (!a) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
