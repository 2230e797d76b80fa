import { details, type Report } from "../../shared/index.js";
import { fitTable, mapRows } from "../render/fit-table.js";
import {
  divergenceSection,
  headlineSection,
  instancesSection,
  mergesSection,
  methodSection,
  personHeader,
  personRow,
  reasonsSection,
  type InstanceColumns,
} from "./sections.js";

/** GitHub refuses issue bodies longer than this (422). */
export const MAX_ISSUE_BODY = 65_536;
/** Room kept free below the limit for notes, folds and the footer. */
const MARGIN = 1_500;
/** Rows of the folded "more persons" table, budget permitting. */
const MORE_PEOPLE_ROWS = 1_000;

/** Extra sections the app adds around the report (trend charts, links to divergence issues). */
export interface SummaryExtras extends InstanceColumns {
  title?: string;
  /** Hidden marker, first line of the body. */
  marker?: string;
  /** Markdown inserted after the headline (e.g. Mermaid charts). */
  charts?: string;
  /** Links to open divergence issues, by `kind` or `kind/subject`. */
  divergenceLinks?: Record<string, string>;
  /** A link to every open divergence issue (the label's issue list). */
  divergenceIndexUrl?: string;
  /** How many server-only persons to list first (default 20). */
  topPeople?: number;
  /** `masked` (default) shows masked emails; `hidden` shows none. */
  emails?: "masked" | "hidden";
  /** Where the full per-person CSV is committed when rows are dropped. */
  csvLink?: string | null;
  /** Short notes under the headline (e.g. GitHub's list moved while read). */
  notes?: string[];
  /** Small print at the end (run id, trigger). */
  footer?: string;
  /** Body length limit (default GitHub's 65,536). */
  maxLength?: number;
}

/** A rendered summary and whether rows had to be dropped to fit. */
export interface RenderedSummary {
  body: string;
  /** Rows were dropped: the full list belongs in the CSV. */
  truncated: boolean;
  /** Server-only persons likely counted twice that are not listed. */
  omittedPeople: number;
}

/** Persons likely counted twice (genuinely server-only people are not), most likely first. */
function peopleSections(report: Report, extras: SummaryExtras, budget: number): { text: string; omitted: number } {
  const emails = extras.emails ?? "masked";
  const candidates = report.people.filter((p) => p.reason !== "noCloudAccount");
  if (candidates.length === 0) return { text: "", omitted: 0 };
  const topN = Math.min(extras.topPeople ?? 20, candidates.length);
  const top = fitTable(
    personHeader(emails, true),
    mapRows(candidates, (p) => personRow(p, emails, true)),
    [],
    budget - 300,
    topN,
    topN,
  );
  const parts =
    top.shown > 0 ? [details(`The ${top.shown} server-only persons most likely counted twice`, top.text)] : [];
  const used = parts.join("").length;
  const rest = candidates.length - top.shown;
  const more = fitTable(
    personHeader(emails, false),
    mapRows(candidates, (p) => personRow(p, emails, false), top.shown),
    [],
    budget - used - 600,
    rest,
    MORE_PEOPLE_ROWS,
  );
  if (more.shown > 0) parts.push(details(`${more.shown} more server-only persons likely counted twice`, more.text));
  const omitted = rest - more.shown;
  if (omitted > 0) {
    parts.push(
      extras.csvLink
        ? `${omitted} more in the [attached CSV](${extras.csvLink}) (every unique user, one row each).`
        : `${omitted} more not listed here: \`license-sync report --format csv\` lists every person.`,
    );
  }
  return { text: parts.join("\n\n"), omitted };
}

/**
 * The summary issue body, cut to fit GitHub's limit whatever the enterprise's size:
 *  1. fixed parts: marker, headline, notes, charts, merge rules, reasons, method, footer
 *  2. the divergence list, the instance table, then the persons, each taking what room is left
 *  3. anything dropped is counted in a note that points at the CSV
 *
 * @example const { body, truncated } = renderSummary(report, { title: "License usage 2026-W48", csvLink });
 */
export function renderSummary(report: Report, extras: SummaryExtras = {}): RenderedSummary {
  const limit = extras.maxLength ?? MAX_ISSUE_BODY;
  // 1.
  const head = [
    extras.marker ?? "",
    extras.title ? `## ${extras.title}` : "",
    headlineSection(report),
    ...(extras.notes ?? []).map((note) => `> [!NOTE]\n> ${note}`),
    extras.charts ?? "",
  ].filter(Boolean);
  const [merges, reasons, method, footer] = [
    mergesSection(report),
    reasonsSection(report),
    methodSection(),
    extras.footer ?? "",
  ];
  const tail = [merges, reasons, method, footer].filter(Boolean);
  let room = limit - MARGIN - [...head, ...tail].join("\n\n").length;
  // 2.
  const divergences = divergenceSection(
    report.divergences,
    extras.divergenceLinks ?? {},
    Math.max(0, Math.min(room / 3, 20_000)),
  );
  const divergenceText =
    extras.divergenceIndexUrl && report.divergences.length > 0
      ? `${divergences.text}\n\n[All open divergence issues](${extras.divergenceIndexUrl})`
      : divergences.text;
  room -= divergenceText.length;
  const instances = instancesSection(report, extras, Math.max(0, Math.min(room / 2, 20_000)));
  room -= instances.text.length;
  const people = peopleSections(report, extras, Math.max(0, room));
  // 3.
  const parts = [...head, divergenceText, instances.text, merges, reasons, people.text, method, footer].filter(Boolean);
  let body = `${parts.join("\n\n")}\n`;
  if (body.length > limit) body = `${body.slice(0, limit - 200)}\n\n… (cut to GitHub's ${limit}-character limit)\n`;
  return {
    body,
    truncated: people.omitted > 0 || instances.omitted > 0 || divergences.omitted > 0,
    omittedPeople: people.omitted,
  };
}

/** The summary issue body (`report --format markdown`). */
export function renderSummaryMarkdown(report: Report, extras: SummaryExtras = {}): string {
  return renderSummary(report, extras).body;
}
