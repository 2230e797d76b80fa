import type { HistorySnapshot } from "../history/snapshot.js";
import { isoWeek } from "../iso-week.js";
import { seatSourcePie, trendChart, type TrendPoint } from "./mermaid-charts.js";
import { cell, details, mdTable, type RunRecord } from "../../shared/index.js";
import { seatSources } from "../render/seat-sources.js";
import { renderSummary, type RenderedSummary } from "./markdown.js";

export interface SummaryBodyOptions {
  marker: string;
  /** When the run is placed (its ISO week). */
  at: Date;
  /** Snapshots of earlier runs, newest per week (`readHistory`). */
  history: HistorySnapshot[];
  /** Weeks in the trend (repository config `history.weeks`). */
  weeks: number;
  emails: "masked" | "hidden";
  /** Open divergence issues as Markdown links, by `kind` or `kind/subject`. */
  divergenceLinks: Record<string, string>;
  divergenceIndexUrl?: string;
  csvLink: string | null;
}

/**
 * One point per ISO week, oldest first: the newest snapshot of each earlier week, and this run
 * for its own week (it supersedes an earlier run of the same week).
 *
 * @example trendPoints(history, record, at, 12).map((p) => p.week) // ["2026-W46", "2026-W47", "2026-W48"]
 */
export function trendPoints(history: HistorySnapshot[], record: RunRecord, at: Date, weeks: number): TrendPoint[] {
  const week = isoWeek(at).label;
  const points = new Map<string, TrendPoint>();
  for (const s of history) {
    if (s.week < week)
      points.set(s.week, {
        week: s.week,
        uniqueUsers: s.totals.uniqueUsers,
        consumed: s.totals.seatsConsumedReported,
        purchased: s.totals.seatsPurchased,
      });
  }
  const { totals } = record.report;
  points.set(week, {
    week,
    uniqueUsers: totals.uniqueUsers,
    consumed: totals.seatsConsumedReported,
    purchased: totals.seatsPurchased,
  });
  return [...points.values()].sort((a, b) => (a.week < b.week ? -1 : 1)).slice(-weeks);
}

/** The trend chart with its figures folded below, and the seat-source pie. */
function charts(record: RunRecord, points: TrendPoint[]): string {
  const parts: string[] = [];
  const trend = trendChart(points);
  if (trend) {
    parts.push(
      "### Trend",
      trend,
      details(
        "Trend figures",
        mdTable(
          ["Week", "Unique users", "Consumed, per GitHub", "Purchased"],
          points.map((p) => [p.week, p.uniqueUsers, p.consumed, p.purchased]),
          ["l", "r", "r", "r"],
        ),
      ),
    );
  } else {
    parts.push("_The trend chart appears once runs of two different weeks are in the history._");
  }
  const pie = seatSourcePie(seatSources(record.report));
  if (pie) parts.push("### Where the seats come from", pie);
  return parts.join("\n\n");
}

/** `2026-11-20 (success)`, `2026-11-01 (failed)`, `not listed` per instance, from license-sync-status. */
export function lastSyncCells(record: RunRecord): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const server of record.report.servers) {
    const status = record.syncStatus.find((s) => s.hostname.toLowerCase() === server.hostname.toLowerCase());
    cells[server.hostname] = !status
      ? "not listed by GitHub"
      : `${status.lastSyncAt ? status.lastSyncAt.slice(0, 10) : "never"} (${status.reportedStatus ?? status.status})`;
  }
  return cells;
}

/**
 * The weekly summary body of a run: the report rendered with the app's extras (marker, charts,
 * last syncs, sources, divergence links, footer), cut to GitHub's limit.
 *
 * @example const { body, truncated } = renderRunSummary(record, { marker, at, history, weeks: 12, emails: "masked", divergenceLinks: {}, csvLink });
 */
export function renderRunSummary(record: RunRecord, options: SummaryBodyOptions): RenderedSummary {
  const points = trendPoints(options.history, record, options.at, options.weeks);
  const sources = Object.fromEntries(
    record.instances.map((i) => [i.hostname, i.source === "api" ? "API" : "usage file"]),
  );
  // GHES counts seats itself; a gap to this run's billable count means the report and the license disagree.
  const billable = new Map(record.report.servers.map((s) => [s.hostname, s.billableAccounts]));
  const seatsUsed = Object.fromEntries(
    record.instances
      .filter((i) => i.license && billable.has(i.hostname))
      .map((i) => {
        const difference = billable.get(i.hostname)! - i.license!.seatsUsed;
        return [
          i.hostname,
          `${i.license!.seatsUsed}${difference === 0 ? "" : ` (billable ${difference > 0 ? "+" : ""}${difference})`}`,
        ];
      }),
  );
  return renderSummary(record.report, {
    marker: options.marker,
    charts: charts(record, points),
    lastSync: lastSyncCells(record),
    sources,
    seatsUsed,
    divergenceLinks: options.divergenceLinks,
    ...(options.divergenceIndexUrl ? { divergenceIndexUrl: options.divergenceIndexUrl } : {}),
    emails: options.emails,
    csvLink: options.csvLink,
    notes: [
      ...(record.totalsChangedMidRun
        ? ["GitHub's consumed-licenses list changed while this run read it: its figures may be off by the change."]
        : []),
      ...(record.warnings ?? []).map((warning) => `Degraded: ${cell(warning)}`),
    ],
    footer: `<sub>Enterprise \`${record.enterprise}\` · run \`${record.runId}\` (${record.trigger}) finished ${record.finishedAt} · posted by license-sync; re-running in the same week updates this issue.</sub>`,
  });
}
