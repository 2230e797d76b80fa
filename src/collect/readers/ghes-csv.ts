import type { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import { InputError } from "../../errors.js";
import type { EmailProtector } from "../../privacy/protect.js";
import type { ServerAccount } from "../../reconcile/model.js";
import { allUsersRowSchema, toServerAccount } from "./ghes-account.js";
import { boundLines, CSV_RECORD_DELIMITERS, LineTooLongError } from "./line-bound.js";

/** Columns the engine reads, by their normalized header name. `dormant` may be absent. */
const REQUIRED = ["id", "login", "email", "suspended"] as const;
const OPTIONAL = ["role", "dormant"] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/** GitHub's documented header, quoted in messages so the operator knows what the first line must be. */
const DOCUMENTED_HEADER =
  "created_at,id,login,email,role,suspended?,last_logged_ip,repos,ssh_keys,org_memberships,dormant?,last_active,raw_login,2fa_enabled?";
/**
 * Column names GitHub writes, normalized: only these are quoted back in messages. Any other header
 * cell may be a data row read as the header (an email, a login), so it is named by position.
 */
const KNOWN_COLUMNS = new Set(DOCUMENTED_HEADER.split(",").map(normalizeHeader));
/** Columns only `all_organizations.csv` has: a report of organizations given where all users belong. */
const ORGANIZATION_REPORT_COLUMNS = ["admins", "members", "teams"];

/**
 * Largest row accepted (characters of all its fields), as csv-parse's `max_record_size`: so a
 * field is never longer either. A real row is a few hundred characters; csv-parse stops at the
 * character that crosses the bound, so a runaway field is never held whole.
 */
export const MAX_RECORD_CHARS = 64 * 1024;
/** Largest physical line accepted (bytes), whatever it holds: bounds rows of empty fields too. */
export const MAX_LINE_BYTES = 1024 * 1024;

const DOWNLOAD_AGAIN = "download the report again (/stafftools/reports/all_users.csv) and do not edit it by hand";
const FIX_DOWNLOAD = `Please ${DOWNLOAD_AGAIN}.`;

/** `Suspended?` -> `suspended`: headers are matched without case, surrounding spaces or the trailing `?`. */
function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/\?$/, "");
}

/** Maps the columns the engine reads to their positions; refuses a duplicated or missing one. */
function columnIndexes(header: string[], source: string): Map<Column, number> {
  const positions = new Map<string, number>();
  for (const [index, raw] of header.entries()) {
    const name = normalizeHeader(raw);
    const first = positions.get(name);
    if (first !== undefined && name !== "") {
      const repeated = KNOWN_COLUMNS.has(name) ? `column "${name}" twice` : `column ${first + 1} again`;
      throw new InputError(
        source,
        `line 1, column ${index + 1}`,
        `the header names ${repeated} (columns ${first + 1} and ${index + 1})`,
        "Keep one of them: a report straight from /stafftools/reports/all_users.csv names each column once.",
      );
    }
    positions.set(name, index);
  }
  const missing = REQUIRED.filter((name) => !positions.has(name));
  if (missing.length > 0) {
    if (ORGANIZATION_REPORT_COLUMNS.every((name) => positions.has(name))) {
      throw new InputError(
        source,
        "line 1",
        "this is the all_organizations report, which lists organizations, not user accounts",
        "Give the all users report (/stafftools/reports/all_users.csv) instead.",
      );
    }
    // The header itself is not quoted back: when the first line is a data row, it holds emails.
    throw new InputError(
      source,
      "line 1",
      `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
      `The first line must be the report's header (${DOCUMENTED_HEADER}); use all_users.csv as GHES writes it.`,
    );
  }
  const indexes = new Map<Column, number>();
  for (const name of [...REQUIRED, ...OPTIONAL]) {
    const index = positions.get(name);
    if (index !== undefined) indexes.set(name, index);
  }
  return indexes;
}

/** Where a csv-parse error is, named by line and column (header name when it is one of GitHub's). */
function columnName(header: string[] | undefined, index: number | undefined): string {
  if (index === undefined) return "";
  const name = header?.[index]?.trim();
  return name && KNOWN_COLUMNS.has(normalizeHeader(name)) ? `, column ${name}` : `, field ${index + 1}`;
}

/**
 * Rewrites csv-parse's error in our words. Its own message quotes the offending field (an email,
 * often), so it is never passed on: only the code, line and field position are used.
 */
function csvInputError(error: CsvError, header: string[] | undefined, source: string): InputError {
  const details = error as CsvError & { lines?: number; index?: number; record?: unknown[] };
  const line = details.lines ? `line ${details.lines}` : "";
  const at = line + columnName(header, details.index);
  switch (error.code) {
    case "INVALID_OPENING_QUOTE":
      return new InputError(
        source,
        at,
        'malformed CSV: a quote (") inside a field that does not start with one',
        `Quote the whole field and double the quotes inside it ("a""b"), or ${DOWNLOAD_AGAIN}.`,
      );
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return new InputError(
        source,
        at,
        "malformed CSV: text after the closing quote of a quoted field",
        `Double a quote that belongs to the value (""), or ${DOWNLOAD_AGAIN}.`,
      );
    case "CSV_QUOTE_NOT_CLOSED":
      return new InputError(
        source,
        at,
        "malformed CSV: a quoted field is never closed (the file ends inside it)",
        `The file is truncated or a quote is missing: ${DOWNLOAD_AGAIN}.`,
      );
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_INCONSISTENT_COLUMNS":
      return new InputError(
        source,
        line,
        `malformed CSV: the row has ${details.record?.length ?? "a different number of"} fields, the header has ${header?.length ?? "another number"}`,
        `Quote fields that contain a comma, or ${DOWNLOAD_AGAIN}.`,
      );
    case "CSV_MAX_RECORD_SIZE":
      return new InputError(
        source,
        at,
        `the row, or a field of it, is longer than ${MAX_RECORD_CHARS / 1024} KiB`,
        `No real row is that long: ${DOWNLOAD_AGAIN}.`,
      );
    default:
      return new InputError(source, at, `malformed CSV (${error.code})`, FIX_DOWNLOAD);
  }
}

export interface ReadAllUsersOptions {
  /** Instance hostname as GitHub writes it in `enterprise_server_user_ids`. */
  hostname: string;
  /** Name for error messages (file path or URL). */
  source: string;
  protector: EmailProtector;
}

/**
 * Streams a GHES `all_users.csv` report into engine records, one row at a time, so a
 * million-account report never sits in memory and no clear email outlives its row. Any column
 * order; unknown columns ignored; BOM, CRLF and quoted fields handled by csv-parse. A header of
 * only (no rows) is a valid instance without accounts.
 *
 * Bounded: a row or field beyond {@link MAX_RECORD_CHARS} (csv-parse's `max_record_size`) or a
 * physical line beyond {@link MAX_LINE_BYTES} is refused naming the line, before more of it is
 * read. Errors name file, line and column, never the value.
 *
 * @example
 *   for await (const account of readAllUsersCsv(fs.createReadStream(path), { hostname, source: path, protector })) { ... }
 */
export async function* readAllUsersCsv(input: Readable, options: ReadAllUsersOptions): AsyncGenerator<ServerAccount> {
  const { hostname, source, protector } = options;
  // csv-parse reads ahead of the rows consumed: the header is kept as soon as it is parsed, so an
  // error on a later line of the same chunk can still name its column.
  let header: string[] | undefined;
  const lineOf = new WeakMap<string[], number>();
  const bound = boundLines(MAX_LINE_BYTES);
  const parser = input.pipe(bound).pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      record_delimiter: CSV_RECORD_DELIMITERS,
      relax_column_count: false,
      max_record_size: MAX_RECORD_CHARS,
      on_record: (record: string[], context) => {
        header ??= record;
        lineOf.set(record, context.lines);
        return record;
      },
    }),
  );
  input.on("error", (error) => bound.destroy(error));
  bound.on("error", (error) => parser.destroy(error));
  let indexes: Map<Column, number> | undefined;
  const seenIds = new Set<number>();
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = lineOf.get(record) ?? 0;
      if (!indexes) {
        indexes = columnIndexes(record, source);
        continue;
      }
      const cell = (name: Column) => {
        const index = indexes!.get(name);
        return index === undefined ? undefined : record[index];
      };
      const parsed = allUsersRowSchema.safeParse({
        id: cell("id"),
        login: cell("login"),
        email: cell("email"),
        role: cell("role"),
        suspended: cell("suspended"),
        dormant: cell("dormant"),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(
          source,
          `line ${line}, column ${String(issue.path[0] ?? "?")}`,
          issue.message,
          "Fix or remove that row, or download the report again.",
        );
      }
      if (seenIds.has(parsed.data.id)) {
        throw new InputError(
          source,
          `line ${line}`,
          `user id ${parsed.data.id} appears twice`,
          "The file looks concatenated or edited: download the report again.",
        );
      }
      seenIds.add(parsed.data.id);
      yield toServerAccount(parsed.data, hostname, protector);
    }
  } catch (error) {
    if (error instanceof CsvError) throw csvInputError(error, header, source);
    if (error instanceof LineTooLongError) {
      throw new InputError(
        source,
        `line ${error.line}`,
        `the line is longer than ${error.maxBytes} bytes`,
        `No real row is that long: ${DOWNLOAD_AGAIN}.`,
      );
    }
    // By code, not `instanceof Error`: file errors may come from another realm (test runners).
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === "ENOENT") {
      throw new InputError(source, "", "file not found", "Check the path given to --server HOST=FILE.");
    }
    if (code === "EISDIR") {
      throw new InputError(
        source,
        "",
        "is a directory, not a file",
        "Give --server HOST=FILE the path of all_users.csv itself.",
      );
    }
    throw error;
  } finally {
    // Stops reading the file or response when the rows stop being consumed (error or early exit).
    input.destroy();
  }
  if (!indexes) throw new InputError(source, "", "the report is empty (no header row)", "Download the report again.");
}
