import type { EmailProtector } from "../../privacy/index.js";
import { InputError } from "../../shared/index.js";
import { parseLicenseRow, type LicensePage, type PageRow } from "../ghec/license-page.js";
import { exactNameIds } from "./cloud-row.js";
import { JsonPageScanner, type JsonPosition } from "./json-pages.js";

/** Largest single row or page field: real rows are about 1 KiB. */
export const MAX_ROW_CHARS = 1 << 20;

const FIX =
  "Give the consumed-licenses response as saved: one object, pages back to back or one per line (`gh api --paginate`), an array of pages (`--slurp`), or an array of user rows.";

const PAGE_KEYS = ["total_seats_consumed", "total_seats_purchased", "users"];

function seatCount(value: unknown, source: string, where: string, field: string, nullable: boolean): number | null {
  if (value === undefined || (nullable && value === null)) return null;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new InputError(source, `${where}.${field}`, "expected a non-negative integer", FIX);
}

/**
 * Reads consumed-licenses JSON in every form admins save it (see `FIX`), as pages ready for
 * `usageOfPages`: each page object is one page; user rows outside pages (an array of rows, or
 * `--jq '.users[]'` output) become one page without totals. Rows are validated and protected as
 * they are read; errors name the line, page and field.
 *
 * @example const pages = await readConsumedLicensePagesJson(textChunks(stream, file), { source: file, protector });
 */
export async function readConsumedLicensePagesJson(
  text: AsyncIterable<string>,
  options: { source: string; protector: EmailProtector },
): Promise<LicensePage[]> {
  const { source, protector } = options;
  const pages: LicensePage[] = [];
  const bare: PageRow[] = [];
  let rows: PageRow[] = [];
  const rowOptions = { source, protector, fix: FIX };
  const rowOf = (value: unknown, where: string | (() => string)) => parseLicenseRow(value, where, rowOptions);
  const pageName = (at: JsonPosition) => `line ${at.line}, page ${at.page}`;
  const scanner = new JsonPageScanner(
    { source, listKey: "users", maxValueChars: MAX_ROW_CHARS, fix: FIX, parse: exactNameIds },
    {
      onItem(value, at) {
        rows.push(rowOf(value, () => `line ${at.line}, page ${at.page}, users[${at.index}]`));
      },
      onPage(fields, size, at) {
        const where = pageName(at);
        const totalConsumed = seatCount(fields.total_seats_consumed, source, where, "total_seats_consumed", false);
        const totalPurchased = seatCount(fields.total_seats_purchased, source, where, "total_seats_purchased", true);
        pages.push({ page: at.page, totalConsumed, totalPurchased, size, rows });
        rows = [];
      },
      onObject(fields, at) {
        const where = at.index === null ? `line ${at.line}` : `line ${at.line}, [${at.index}]`;
        const pageKey = PAGE_KEYS.find((key) => key in fields);
        if (pageKey === "users") throw new InputError(source, `${where}, users`, "expected a list of user rows", FIX);
        if (pageKey) throw new InputError(source, where, `a page with \`${pageKey}\` but no \`users\` list`, FIX);
        bare.push(rowOf(fields, where));
      },
    },
  );
  for await (const chunk of text) scanner.push(chunk);
  scanner.end();
  if (pages.length > 0 && bare.length > 0) {
    throw new InputError(
      source,
      "",
      "mixes pages (objects with `users`) and bare user rows",
      "Give either the pages as saved or only user rows, not both.",
    );
  }
  if (bare.length > 0) return [{ page: 1, totalConsumed: null, totalPurchased: null, size: bare.length, rows: bare }];
  if (pages.every((page) => page.size === 0) && !pages.some((page) => page.totalConsumed === 0)) {
    throw new InputError(source, "users", "no users found", FIX);
  }
  return pages;
}
