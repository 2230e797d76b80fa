import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse, CsvError } from "csv-parse";
import type { EmailProtector } from "../../privacy/index.js";
import { InputError } from "../../shared/index.js";
import { parseLicenseRow, type LicensePage, type PageRow } from "../ghec/license-page.js";
import { DATA_RESIDENCY_KEYS } from "./cloud-row.js";
import { MAX_ROW_CHARS } from "./consumed-licenses-json.js";
import { MAX_LINE_BYTES } from "./ghes-csv.js";
import { boundLines, CSV_RECORD_DELIMITERS, LineTooLongError } from "./line-bound.js";

const FIX =
  "Give the CSV report of Enterprise settings > Licensing (or the consumed-licenses JSON) as downloaded, header line included.";

/** Cells that hold several values, comma-separated inside quotes. Other list columns are not read. */
const LIST_COLUMNS = new Set([
  "enterprise_server_user_ids",
  "github_com_verified_domain_emails",
  "github_verified_domain_emails",
  "enterprise_server_emails",
  "enterprise_server_primary_emails",
]);

/** `GitHub com login`, `github_com_login`, `GitHub login` -> the JSON key (`github_com_login`, `github_login`). */
export function csvColumnKey(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function columnKeys(header: string[], source: string): string[] {
  const keys = header.map(csvColumnKey);
  if (!keys.includes("github_com_login") && !keys.includes("github_login")) {
    throw new InputError(
      source,
      "line 1",
      "neither JSON nor the license CSV: the header has no `GitHub com login` (`github_com_login`) or `GitHub login` column",
      FIX,
    );
  }
  const known = new Set([
    "github_com_login",
    "github_com_name",
    "github_com_user",
    "enterprise_server_user",
    "visual_studio_subscription_user",
    "license_type",
    "github_com_saml_name_id",
    "visual_studio_subscription_email",
    ...LIST_COLUMNS,
    ...Object.keys(DATA_RESIDENCY_KEYS),
  ]);
  const seen = new Set<string>();
  header.forEach((name, index) => {
    const key = keys[index]!;
    if (known.has(key) && seen.has(key))
      throw new InputError(
        source,
        `line 1, column ${index + 1}`,
        `column \`${name.trim()}\` appears twice`,
        "Remove the duplicated column.",
      );
    seen.add(key);
  });
  return keys;
}

function rowObject(keys: string[], record: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  keys.forEach((key, index) => {
    const cell = record[index] ?? "";
    row[key] = LIST_COLUMNS.has(key)
      ? cell
          .split(",")
          .map((value) => value.trim())
          .filter(Boolean)
      : cell;
  });
  return row;
}

/**
 * Reads the billing page's license CSV (either header style: snake_case or the humanized
 * `GitHub com login,...`, and GHE.com's `GitHub login,...`) as one page without totals: the CSV
 * carries no `total_seats_*`, so completeness cannot be checked. Extra columns are ignored; list
 * cells are split on commas. Errors name the line and the column, never a value.
 *
 * @example const page = await readConsumedLicensesCsv(textChunks(stream, file), { source: file, protector });
 */
export async function readConsumedLicensesCsv(
  text: AsyncIterable<string>,
  options: { source: string; protector: EmailProtector },
): Promise<LicensePage> {
  const { source, protector } = options;
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: false,
    max_record_size: MAX_ROW_CHARS,
    record_delimiter: CSV_RECORD_DELIMITERS,
  });
  // The line bound catches what max_record_size cannot: a line of delimiters only (empty cells).
  const feeding = pipeline(Readable.from(text), boundLines(MAX_LINE_BYTES), parser).catch(() => undefined);
  const rows: PageRow[] = [];
  let keys: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!keys) {
        keys = columnKeys(record, source);
        continue;
      }
      // A record of empty cells is a blank line as spreadsheets save it, not a person.
      if (record.every((cell) => cell.trim() === "")) continue;
      rows.push(parseLicenseRow(rowObject(keys, record), `line ${info.lines}`, { source, protector, fix: FIX }));
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // csv-parse messages quote the offending text: report the line and the kind only.
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError(source, line ? `line ${line}` : "", `not valid CSV (${error.code})`, FIX);
    }
    if (error instanceof LineTooLongError)
      throw new InputError(source, `line ${error.line}`, `the line is longer than ${error.maxBytes} bytes`, FIX);
    throw error;
  } finally {
    await feeding;
  }
  if (!keys || rows.length === 0) throw new InputError(source, "", "no user rows below the header", FIX);
  return { page: 1, totalConsumed: null, totalPurchased: null, size: rows.length, rows };
}
