import { z } from "zod";
import { InputError } from "../errors.js";
import type { EmailProtector } from "../privacy/protect.js";
import type { CloudLicense } from "../reconcile/model.js";
import { consumedLicenseRowSchema, toCloudLicense, verifiedDomainsOfRow, type ConsumedLicenseRow } from "./readers/cloud-row.js";
import { issuePath } from "./readers/zod-issue.js";

const FIX = "GitHub answered with data this version cannot read: update license-sync, or report the field and the page.";

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

/** One validated `consumed-licenses` page. */
export interface LicensePage {
  page: number;
  totalConsumed: number;
  totalPurchased: number | null;
  /** Rows GitHub sent (before deduplication). */
  size: number;
  rows: PageRow[];
}

/**
 * Who a row is, for spotting it again on another page: the GHEC login, else the sorted GHES
 * accounts, else the keyed Visual Studio email (never the clear one).
 */
function rowKey(row: ConsumedLicenseRow, protector: EmailProtector): string | null {
  if (row.github_com_login !== "") return `login:${row.github_com_login.toLowerCase()}`;
  if (row.enterprise_server_user_ids.length > 0) {
    return `server:${row.enterprise_server_user_ids.map(({ hostname, id }) => `${hostname}:${id}`).sort().join(",")}`;
  }
  const visualStudio = protector.key(row.visual_studio_subscription_email);
  return visualStudio === null ? null : `vs:${visualStudio}`;
}

/**
 * Validates one page and protects its rows on the spot, so no clear email outlives the page.
 * Errors name the page and the field: `page 3, users[7].github_com_user`.
 *
 * @example const page = parseLicensePage(response.data, 3, { source: "GET /enterprises/acme/consumed-licenses", protector });
 */
export function parseLicensePage(data: unknown, page: number, options: { source: string; protector: EmailProtector }): LicensePage {
  const { source, protector } = options;
  const parsed = pageSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(source, issuePath(`page ${page}`, issue).replace(`page ${page}.`, `page ${page}, `), issue.message, FIX);
  }
  const rows = parsed.data.users.map((value, index): PageRow => {
    const row = consumedLicenseRowSchema.safeParse(value);
    if (!row.success) {
      const issue = row.error.issues[0]!;
      throw new InputError(source, issuePath(`page ${page}, users[${index}]`, issue), issue.message, FIX);
    }
    return { key: rowKey(row.data, protector), license: toCloudLicense(row.data, index, protector), verifiedDomains: verifiedDomainsOfRow(row.data) };
  });
  return { page, totalConsumed: parsed.data.total_seats_consumed, totalPurchased: parsed.data.total_seats_purchased ?? null, size: rows.length, rows };
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
 * changes while it is read). `index` is renumbered to the position after deduplication.
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
      licenses.push({ ...row.license, index: licenses.length });
    }
  }
  return { licenses, verifiedEmailDomains: [...domains].sort(), duplicates };
}
