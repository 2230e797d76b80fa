import { z } from "zod";
import type { EmailProtector } from "../../privacy/index.js";
import { type CloudLicense, type CloudUsage, InputError } from "../../shared/index.js";
import {
  consumedLicenseRowSchema,
  toCloudLicense,
  verifiedDomainsOfRow,
  type ConsumedLicenseRow,
} from "../readers/cloud-row.js";
import { leanConsumedLicenseRow } from "../readers/lean-cloud-row.js";
import { issuePath } from "../readers/zod-issue.js";

const FIX =
  "GitHub answered with data this version cannot read: update license-sync, or report the field and the page.";

const pageSchema = z.looseObject({
  total_seats_consumed: z.number().int().nonnegative(),
  total_seats_purchased: z.number().int().nonnegative().nullish(),
  users: z.array(z.unknown()),
});

/** One row of a page, already protected, with what deduplication needs. */
export interface PageRow {
  /** Identifies the licensed person across pages; null when the row has nothing to go by. */
  key: string | null;
  license: CloudLicense;
  verifiedDomains: string[];
}

/** One validated `consumed-licenses` page (or, for inputs without pages, all their rows). */
export interface LicensePage {
  page: number;
  /** `total_seats_consumed`; null when the input carries no totals (billing CSV, bare rows). */
  totalConsumed: number | null;
  totalPurchased: number | null;
  /** Rows GitHub sent (before deduplication). */
  size: number;
  rows: PageRow[];
}

/**
 * Who a row is, for spotting it again on another page: the GHEC login, else its GHES accounts,
 * server emails and Visual Studio email (keyed, never clear); null when it has none of them.
 */
function rowKey(row: ConsumedLicenseRow, license: CloudLicense): string | null {
  if (license.login !== null) return `login:${license.login.toLowerCase()}`;
  const ids = row.enterprise_server_user_ids.map(({ hostname, id }) => `${hostname}:${id}`).sort();
  const emails = [...license.serverEmails].sort();
  if (ids.length === 0 && emails.length === 0 && license.visualStudioEmail === null) return null;
  return `server:${ids.join(",")}|emails:${emails.join(",")}|vs:${license.visualStudioEmail ?? ""}`;
}

/**
 * Validates one row and protects it on the spot, so no clear email outlives it. `where` names the
 * row in errors (`page 3, users[7]`, `line 12`; a function when it costs to build, called only on
 * an error); messages name the field, never its value.
 *
 * @example const row = parseLicenseRow(value, "users[0]", { source: "cloud.json", protector, fix });
 */
export function parseLicenseRow(
  value: unknown,
  where: string | (() => string),
  options: { source: string; protector: EmailProtector; fix: string; index?: number },
): PageRow {
  // The lean check takes the rows GitHub.com writes; zod takes the rest and words every refusal.
  let data = leanConsumedLicenseRow(value);
  if (data === undefined) {
    const row = consumedLicenseRowSchema.safeParse(value);
    if (!row.success) {
      const issue = row.error.issues[0]!;
      const at = typeof where === "string" ? where : where();
      throw new InputError(options.source, issuePath(at, issue), issue.message, options.fix);
    }
    data = row.data;
  }
  const license = toCloudLicense(data, options.index ?? 0, options.protector);
  return { key: rowKey(data, license), license, verifiedDomains: verifiedDomainsOfRow(data) };
}

/**
 * Validates one page as the API returned it. Errors name the page and the field:
 * `page 3, users[7].github_com_user`.
 *
 * @example const page = parseLicensePage(response.data, 3, { source: "GET /enterprises/acme/consumed-licenses", protector });
 */
export function parseLicensePage(
  data: unknown,
  page: number,
  options: { source: string; protector: EmailProtector },
): LicensePage {
  const { source, protector } = options;
  const parsed = pageSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      source,
      issuePath(`page ${page}`, issue).replace(`page ${page}.`, `page ${page}, `),
      issue.message,
      FIX,
    );
  }
  const rows = parsed.data.users.map((value, index) =>
    parseLicenseRow(value, () => `page ${page}, users[${index}]`, { source, protector, fix: FIX, index }),
  );
  return {
    page,
    totalConsumed: parsed.data.total_seats_consumed,
    totalPurchased: parsed.data.total_seats_purchased ?? null,
    size: rows.length,
    rows,
  };
}

/** Licenses of several pages in page order, each person once. */
export interface AssembledLicenses {
  licenses: CloudLicense[];
  verifiedEmailDomains: string[];
  /** Rows dropped because the same person was already read on an earlier page. */
  duplicates: number;
}

/**
 * Joins pages in page order and drops rows seen before (rows shift between pages when the list
 * changes while it is read, and saved files repeat pages). `index` is renumbered to the position
 * after deduplication.
 *
 * @example const { licenses, duplicates } = assembleLicenses(pages);
 */
export function assembleLicenses(pages: readonly LicensePage[]): AssembledLicenses {
  const seen = new Set<string>();
  const domains = new Set<string>();
  const licenses: CloudLicense[] = [];
  let duplicates = 0;
  for (const page of [...pages].sort((a, b) => a.page - b.page)) {
    for (const row of page.rows) {
      if (row.key !== null && seen.has(row.key)) {
        duplicates += 1;
        continue;
      }
      if (row.key !== null) seen.add(row.key);
      for (const domain of row.verifiedDomains) domains.add(domain);
      row.license.index = licenses.length;
      licenses.push(row.license);
    }
  }
  return { licenses, verifiedEmailDomains: [...domains].sort(), duplicates };
}

/**
 * The whole list as the engine takes it, with its completeness: GitHub's `total_seats_consumed`
 * (of the last page, the latest word) is the number of rows of the full list, so fewer distinct
 * rows mean pages are missing. Only an exact match is `checked`: more distinct rows than the
 * total, or pages that disagree on it, mean the pages are not one snapshot (saved at different
 * times, or the list changed while it was read), so the list is `partial` too. Inputs without
 * totals cannot be checked and say so.
 *
 * @example const { usage, duplicates } = usageOfPages(pages); if (usage.completeness === "partial") ...
 */
export function usageOfPages(pages: readonly LicensePage[]): { usage: CloudUsage; duplicates: number } {
  const ordered = [...pages].sort((a, b) => a.page - b.page);
  const assembled = assembleLicenses(ordered);
  const totals = ordered.filter((page) => page.totalConsumed !== null);
  const expected = totals.at(-1)?.totalConsumed ?? null;
  const rows = assembled.licenses.length;
  const usage: CloudUsage = {
    seatsConsumed: expected ?? rows,
    seatsPurchased: ordered.find((page) => page.totalPurchased !== null)?.totalPurchased ?? null,
    licenses: assembled.licenses,
    verifiedEmailDomains: assembled.verifiedEmailDomains,
    completeness:
      expected === null
        ? "unchecked"
        : rows === expected && totals.every((page) => page.totalConsumed === expected)
          ? "checked"
          : "partial",
  };
  return { usage, duplicates: assembled.duplicates };
}
