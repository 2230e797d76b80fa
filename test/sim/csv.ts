import type { Dataset } from "./dataset.js";
import { ALL_USERS_COLUMNS, type AllUsersRow } from "./dataset-types.js";
import { hash32, hashString, Rng } from "./prng.js";

/** A column GHES may add that readers must ignore; its values contain commas, so get quoted. */
export const UNKNOWN_COLUMN = "ldap_dn";

/**
 * The header of one host's report: the documented columns in a host-specific order plus one
 * unknown column, because readers must go by header names, never by position.
 */
export function csvColumns(seed: number, host: string): string[] {
  const rng = new Rng(hash32(seed, hashString(host), 11));
  const columns: string[] = [...ALL_USERS_COLUMNS];
  for (let i = columns.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [columns[i], columns[j]] = [columns[j] ?? "", columns[i] ?? ""];
  }
  columns.splice(rng.int(columns.length + 1), 0, UNKNOWN_COLUMN);
  return columns;
}

function field(value: string, forceQuote: boolean): string {
  if (forceQuote || /[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** One CRLF-terminated CSV line for a row, in the given column order. */
export function csvLine(row: AllUsersRow, columns: readonly string[], quoteDates: boolean): string {
  const values = columns.map((column) => {
    if (column === UNKNOWN_COLUMN) {
      const dn = Number(row.id) % 4 === 0 ? `CN=${row.login},OU=People,DC=corp,DC=example` : "";
      return field(dn, false);
    }
    const value = row[column as keyof AllUsersRow];
    return field(value, quoteDates && (column === "created_at" || column === "last_active"));
  });
  return `${values.join(",")}\r\n`;
}

/**
 * The whole `all_users.csv` of a host as ~64 KiB string chunks: a UTF-8 BOM, the header, the
 * rows. Lazy, so a million-row report never exists in memory at once.
 */
export function* csvChunks(dataset: Dataset, host: string, chunkSize = 64 * 1024): Generator<string> {
  const columns = csvColumns(dataset.options.seed, host);
  const quoteDates = hashString(host) % 2 === 0;
  let chunk = `\uFEFF${columns.map((c) => field(c, false)).join(",")}\r\n`;
  for (const row of dataset.ghesAccounts(host)) {
    chunk += csvLine(row, columns, quoteDates);
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
