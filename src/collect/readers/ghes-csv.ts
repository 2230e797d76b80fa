import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { finished } from "node:stream/promises";
import { parse, CsvError } from "csv-parse";
import type { EmailProtector } from "../../privacy/index.js";
import { InputError, type ServerAccount, unopenedFileError } from "../../shared/index.js";
import { allUsersRowSchema, toServerAccount } from "./ghes-account.js";
import { leanAllUsersRow } from "./lean-ghes-account.js";
import { CSV_RECORD_DELIMITERS, LineBound, LineTooLongError } from "./line-bound.js";
import { UsualLines } from "./usual-lines.js";

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
  for await (const accounts of readAllUsersCsvBatches(input, options)) yield* accounts;
}

/**
 * `readAllUsersCsv` a read chunk at a time: the accounts of each chunk of input as one array, so
 * a caller that takes a million accounts pays one await per chunk, not per account. Each chunk is
 * bounded, parsed and validated synchronously as it arrives; nothing else is held.
 *
 * @example
 *   for await (const accounts of readAllUsersCsvBatches(fs.createReadStream(path), { hostname, source: path, protector }))
 *     for (const account of accounts) run.addServerAccount(account);
 */
export async function* readAllUsersCsvBatches(
  input: Readable,
  options: ReadAllUsersOptions,
): AsyncGenerator<ServerAccount[]> {
  const { hostname, source, protector } = options;
  let header: string[] | undefined;
  let records: string[][] = [];
  let lines: number[] = [];
  const bound = new LineBound(MAX_LINE_BYTES);
  // Lines written the usual way are split here (usualCsvFields); csv-parse, made at the first
  // line that is not, reads that line and all the rest, so it alone accepts, refuses and words.
  const usual = new UsualLines();
  let parser: ReturnType<typeof parse> | undefined;
  const startParser = (prefix: string, rest: Buffer) => {
    const csv = parse({
      bom: true,
      skip_empty_lines: true,
      record_delimiter: CSV_RECORD_DELIMITERS,
      relax_column_count: false,
      max_record_size: MAX_RECORD_CHARS,
    });
    // The prefix repeats the header (csv-parse's column count) at its line, and empty lines
    // for the rest read before, so csv-parse's line numbers are the file's; its header record
    // is not taken again.
    let skip = header !== undefined;
    // csv-parse pushes each record as it parses a written chunk; they are taken right there (not
    // queued on its readable side), so a write parses its chunk synchronously. Not `on_record`: it
    // builds a context object of some twenty fields per record, a tenth of the parse, for the one
    // field kept here, the line, which the parser's live counters (`info`) hold at that moment.
    csv.push = (record: string[] | null) => {
      if (record === null) return Transform.prototype.push.call(csv, null);
      if (skip) {
        skip = false;
        return true;
      }
      header ??= record;
      records.push(record);
      lines.push(csv.info.lines);
      return true;
    };
    // Errors are read from `parser.errored` after each write and from `finished` at the end.
    csv.on("error", () => undefined);
    if (prefix !== "") csv.write(prefix);
    csv.write(rest);
    parser = csv;
  };
  /** Splits what it can of `bytes`; hands the rest to csv-parse at the first unusual line. */
  const split = (bytes: Buffer, final: boolean) => {
    const unusual = usual.read(
      bytes,
      final,
      header,
      (fields, line) => {
        header ??= fields;
        records.push(fields);
        lines.push(line);
      },
      keep,
    );
    if (unusual !== undefined) startParser(unusual.prefix, unusual.rest);
  };
  let indexes: Map<Column, number> | undefined;
  let at: Record<Column, number> | undefined;
  /** The columns read, once the header is: the fast path cuts no string for the others. */
  let keep: Uint8Array | undefined;
  const seenIds = new Set<number>();

  /** Validates and protects the records parsed so far, in order; the first bad one throws. */
  const take = (): ServerAccount[] => {
    const accounts: ServerAccount[] = [];
    for (let r = 0; r < records.length; r++) {
      const record = records[r]!;
      if (!indexes) {
        indexes = columnIndexes(record, source);
        at = Object.fromEntries([...REQUIRED, ...OPTIONAL].map((name) => [name, indexes!.get(name) ?? -1])) as Record<
          Column,
          number
        >;
        keep = new Uint8Array(record.length);
        for (const index of indexes.values()) keep[index] = 1;
        continue;
      }
      const cell = (name: Column) => (at![name] < 0 ? undefined : record[at![name]]);
      const id = cell("id");
      const login = cell("login");
      const email = cell("email");
      const role = cell("role");
      const suspended = cell("suspended");
      const dormant = cell("dormant");
      let row = leanAllUsersRow(id, login, email, role, suspended, dormant);
      if (row === undefined) {
        // The lean check leaves it to the schema, which accepts it or names the column.
        const parsed = allUsersRowSchema.safeParse({ id, login, email, role, suspended, dormant });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new InputError(
            source,
            `line ${lines[r]}, column ${String(issue.path[0] ?? "?")}`,
            issue.message,
            "Fix or remove that row, or download the report again.",
          );
        }
        row = parsed.data;
      }
      if (seenIds.has(row.id)) {
        throw new InputError(
          source,
          `line ${lines[r]}`,
          `user id ${row.id} appears twice`,
          "The file looks concatenated or edited: download the report again.",
        );
      }
      seenIds.add(row.id);
      accounts.push(toServerAccount(row, hostname, protector));
    }
    records = [];
    lines = [];
    return accounts;
  };

  try {
    for await (const chunk of input) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
      bound.check(bytes);
      if (parser) parser.write(bytes);
      else split(bytes, false);
      // A malformed chunk is refused as such, before its rows are read (a data row taken for the header must not hide it).
      if (parser?.errored) throw parser.errored;
      const accounts = take();
      if (accounts.length > 0) yield accounts;
    }
    if (!parser) split(Buffer.alloc(0), true);
    if (parser) {
      parser.end();
      parser.resume();
      await finished(parser);
    }
    const accounts = take();
    if (accounts.length > 0) yield accounts;
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
    throw (
      unopenedFileError(error, source, {
        missing: "Check the path given to --server HOST=FILE.",
        directory: "Give --server HOST=FILE the path of all_users.csv itself.",
      }) ?? error
    );
  } finally {
    // Stops reading the file or response when the rows stop being consumed (error or early exit).
    input.destroy();
    parser?.destroy();
  }
  if (!indexes) throw new InputError(source, "", "the report is empty (no header row)", "Download the report again.");
}
