import { stringify } from "csv-stringify/sync";
import { printableCell, type Report } from "../../shared/index.js";
import { diagnosisFix } from "./diagnosis-fix.js";

const COLUMNS = [
  "status",
  "cloud_login",
  "email",
  "hosts",
  "server_accounts",
  "matched_by",
  "reason",
  "likely_cloud_login",
  "fix",
];

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`, `@SUM(…)`,
 * or one hidden behind a tab or carriage return) gets a leading `'`, as OWASP advises for CSV
 * injection: spreadsheets then show the text as it is. Logins, hostnames and reasons come from
 * data the app does not control.
 *
 * @example neutralizeFormula("=1+1") // "'=1+1"
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Which email the `email` column shows: clear when the report holds it (operator's terminal), masked, or none. */
export type CsvEmails = "clear" | "masked" | "hidden";

/** The rows of `renderCsv`, before their cells are made safe. */
function* csvRows(report: Report, options: { emails?: CsvEmails }): Generator<string[]> {
  const mode = options.emails ?? "clear";
  const show = (person: { email?: string; maskedEmail: string | null }): string | null =>
    mode === "hidden" ? null : mode === "masked" ? person.maskedEmail : (person.email ?? person.maskedEmail);
  const merged = new Map<number, { emails: Set<string>; accounts: string[]; rules: Set<string>; hosts: Set<string> }>();
  for (const person of report.matched) {
    let entry = merged.get(person.cloudIndex);
    if (!entry)
      merged.set(person.cloudIndex, (entry = { emails: new Set(), accounts: [], rules: new Set(), hosts: new Set() }));
    const email = show(person);
    if (email) entry.emails.add(email);
    entry.accounts.push(...person.accounts);
    entry.rules.add(person.matchedBy);
    for (const host of person.hosts) entry.hosts.add(host);
  }
  for (const row of report.cloudRows) {
    const entry = merged.get(row.index);
    const status = entry ? "cloud+server" : row.githubComUser ? "cloud" : "cloud (unsynced server)";
    const hosts = new Set([...row.hosts, ...(entry?.hosts ?? [])]);
    yield [
      status,
      row.login ?? "",
      [...(entry?.emails ?? [])].join(" "),
      [...hosts].join(" "),
      (entry?.accounts ?? []).join(" "),
      [...(entry?.rules ?? [])].join(" "),
      "",
      "",
      "",
    ];
  }
  for (const person of report.people) {
    yield [
      "server-only",
      "",
      show(person) ?? "",
      person.hosts.join(" "),
      person.accounts.join(" "),
      "",
      person.reason,
      person.likelyCloudLogin ?? "",
      diagnosisFix(person),
    ];
  }
}

/** Rows per `stringify` call: the rows of a million people are never all held at once. */
const BATCH_ROWS = 2000;

/**
 * `renderCsv` in pieces, each ending at the end of a row: a caller that stores or sends the CSV
 * (the App commits it) turns each piece into bytes as it comes instead of holding every row,
 * the text and its copies at once.
 *
 * @example const bytes = Buffer.concat([...renderCsvChunks(report, { emails: "masked" })].map((c) => Buffer.from(c)));
 */
export function* renderCsvChunks(report: Report, options: { emails?: CsvEmails } = {}): Generator<string> {
  let batch: string[][] = [];
  let header = true;
  // Control characters shown as escapes too: this CSV is also printed on the operator's terminal.
  const cells = (row: string[]) => row.map((value) => printableCell(neutralizeFormula(value)));
  for (const row of csvRows(report, options)) {
    batch.push(cells(row));
    if (batch.length < BATCH_ROWS) continue;
    // Rows are rendered one by one, so stringifying in batches (the header with the first) gives the same text.
    yield stringify(batch, { header, columns: COLUMNS });
    header = false;
    batch = [];
  }
  if (batch.length > 0 || header) yield stringify(batch, { header, columns: COLUMNS });
}

/**
 * One row per unique person: every kept cloud row (with the server accounts that merged into it)
 * and every server-only person, so the row count equals `totals.uniqueUsers` (when the report
 * kept per-person lists). Files the app commits use `emails: "masked"` or `"hidden"`. No cell
 * starts a formula (`neutralizeFormula`).
 *
 * @example renderCsv(report, { emails: "masked" })
 */
export function renderCsv(report: Report, options: { emails?: CsvEmails } = {}): string {
  return [...renderCsvChunks(report, options)].join("");
}
