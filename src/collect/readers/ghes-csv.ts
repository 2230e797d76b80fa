import type { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import { InputError } from "../../errors.js";
import type { EmailProtector } from "../../privacy/protect.js";
import type { ServerAccount } from "../../reconcile/model.js";
import { allUsersRowSchema, toServerAccount } from "./ghes-account.js";

/** Columns the engine reads, by their normalized header name. `dormant` may be absent. */
const REQUIRED = ["id", "login", "email", "suspended"] as const;
const OPTIONAL = ["role", "dormant"] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/** `Suspended?` -> `suspended`: headers are matched without case, spaces or the trailing `?`. */
function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/\?$/, "");
}

function columnIndexes(header: string[], source: string): Map<Column, number> {
  const positions = new Map(header.map((name, index) => [normalizeHeader(name), index]));
  const missing = REQUIRED.filter((name) => !positions.has(name));
  if (missing.length > 0) {
    throw new InputError(source, "line 1", `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (header has: ${header.join(", ")})`,
      "Use the site-admin report all_users.csv from /stafftools/reports/all_users.csv without editing its header.");
  }
  const indexes = new Map<Column, number>();
  for (const name of [...REQUIRED, ...OPTIONAL]) {
    const index = positions.get(name);
    if (index !== undefined) indexes.set(name, index);
  }
  return indexes;
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
 * order; unknown columns ignored; BOM, CRLF and quoted fields handled by csv-parse.
 *
 * @example
 *   for await (const account of readAllUsersCsv(fs.createReadStream(path), { hostname, source: path, protector })) { ... }
 */
export async function* readAllUsersCsv(input: Readable, options: ReadAllUsersOptions): AsyncGenerator<ServerAccount> {
  const { hostname, source, protector } = options;
  const parser = input.pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: false }));
  input.on("error", (error) => parser.destroy(error));
  let indexes: Map<Column, number> | undefined;
  const seenIds = new Set<number>();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!indexes) {
        indexes = columnIndexes(record, source);
        continue;
      }
      const cell = (name: Column) => {
        const index = indexes!.get(name);
        return index === undefined ? undefined : record[index];
      };
      const parsed = allUsersRowSchema.safeParse({
        id: cell("id"), login: cell("login"), email: cell("email"), role: cell("role"), suspended: cell("suspended"), dormant: cell("dormant"),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(source, `line ${info.lines}, column ${String(issue.path[0] ?? "?")}`, issue.message,
          "Fix or remove that row, or download the report again.");
      }
      if (seenIds.has(parsed.data.id)) {
        throw new InputError(source, `line ${info.lines}`, `user id ${parsed.data.id} appears twice`,
          "The file looks concatenated or edited: download the report again.");
      }
      seenIds.add(parsed.data.id);
      yield toServerAccount(parsed.data, hostname, protector);
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError(source, line ? `line ${line}` : "", `malformed CSV (${error.message})`, "Download the report again; do not edit it by hand.");
    }
    if (error instanceof Error && "code" in error && (error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new InputError(source, "", "file not found", "Check the path given to --server HOST=FILE.");
    }
    throw error;
  }
  if (!indexes) throw new InputError(source, "", "the report is empty (no header row)", "Download the report again.");
}
