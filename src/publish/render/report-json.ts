import type { Report } from "../../reconcile/model.js";

/**
 * The Report JSON contract (ARCHITECTURE.md): `totals`, `servers`, `people`, `divergences`, plus
 * `reasons`. Per-account lists (`matched`, `cloudRows`) stay out: they belong in the CSV.
 */
export function toReportJson(report: Report): object {
  const { totals, servers, people, reasons, divergences } = report;
  return { totals, servers, people, reasons, divergences };
}

/** Pretty JSON text with a trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(toReportJson(report), null, 2)}\n`;
}
