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

/** What a page says besides its rows: kept for the totals once its rows are taken. */
export type PageFacts = Omit<LicensePage, "rows">;

/**
 * Builds the list as pages come in, in any order: a page's rows are taken once every page before
 * it is in, so rows go out in page order (pages of one number in the order they came), each
 * person once, `index` renumbered to the position after deduplication. With `onLicense`, each
 * kept license is handed on as it is taken and not kept here: the collector then holds the dedup
 * keys and the few pages waiting behind a slow one, not the list.
 *
 * Pages are expected numbered 1, 2, 3... (how the collector asks for them). A page whose number
 * was passed already is taken at once; pages behind a gap wait for `finish`, which takes them in
 * page order. Pages added in page order are therefore taken in exactly that order.
 *
 * @example
 *   const assembler = new LicenseAssembler((license) => writer.add("l", license));
 *   for await (const page of pages) assembler.add(page);
 *   const { usage } = assembler.finish();
 */
export class LicenseAssembler {
  /** Rows kept so far: the list's length. */
  rows = 0;
  /** Rows dropped because the same person was already taken. */
  duplicates = 0;
  private readonly licenses: CloudLicense[] = [];
  private readonly seen = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly facts: PageFacts[] = [];
  private readonly waiting = new Map<number, LicensePage[]>();
  private nextPage = 1;

  constructor(private readonly onLicense?: (license: CloudLicense) => void) {}

  /** Takes `page`'s rows now if every page before it is in, else holds the page until they are. */
  add(page: LicensePage): void {
    const { rows: _rows, ...facts } = page;
    this.facts.push(facts);
    if (page.page < this.nextPage) return this.take(page);
    const same = this.waiting.get(page.page);
    if (same) same.push(page);
    else this.waiting.set(page.page, [page]);
    for (let next = this.waiting.get(this.nextPage); next; next = this.waiting.get(this.nextPage)) {
      this.waiting.delete(this.nextPage);
      this.nextPage += 1;
      for (const waited of next) this.take(waited);
    }
  }

  /** Totals of every page added, in the order they came. */
  pages(): readonly PageFacts[] {
    return this.facts;
  }

  /**
   * Takes the pages still waiting behind a gap, then says what the whole list is: GitHub's
   * `total_seats_consumed` (of the last page, the latest word) is the number of rows of the full
   * list, so fewer distinct rows mean pages are missing. Only an exact match is `checked`: more
   * distinct rows than the total, or pages that disagree on it, mean the pages are not one
   * snapshot (saved at different times, or the list changed while it was read), so the list is
   * `partial` too. Inputs without totals cannot be checked and say so. `usage.licenses` is empty
   * when they went to `onLicense`.
   */
  finish(): { usage: CloudUsage; duplicates: number } {
    for (const number of [...this.waiting.keys()].sort((a, b) => a - b))
      for (const page of this.waiting.get(number)!) this.take(page);
    this.waiting.clear();
    const ordered = [...this.facts].sort((a, b) => a.page - b.page);
    const totals = ordered.filter((page) => page.totalConsumed !== null);
    const expected = totals.at(-1)?.totalConsumed ?? null;
    const usage: CloudUsage = {
      seatsConsumed: expected ?? this.rows,
      seatsPurchased: ordered.find((page) => page.totalPurchased !== null)?.totalPurchased ?? null,
      licenses: this.licenses,
      verifiedEmailDomains: [...this.domains].sort(),
      completeness:
        expected === null
          ? "unchecked"
          : this.rows === expected && totals.every((page) => page.totalConsumed === expected)
            ? "checked"
            : "partial",
    };
    return { usage, duplicates: this.duplicates };
  }

  private take(page: LicensePage): void {
    for (const row of page.rows) {
      if (row.key !== null) {
        if (this.seen.has(row.key)) {
          this.duplicates += 1;
          continue;
        }
        this.seen.add(row.key);
      }
      for (const domain of row.verifiedDomains) this.domains.add(domain);
      row.license.index = this.rows++;
      if (this.onLicense) this.onLicense(row.license);
      else this.licenses.push(row.license);
    }
  }
}

/**
 * The whole list as the engine takes it, with its completeness (see `LicenseAssembler.finish`):
 * pages joined in page order, rows seen before dropped (rows shift between pages when the list
 * changes while it is read, and saved files repeat pages).
 *
 * @example const { usage, duplicates } = usageOfPages(pages); if (usage.completeness === "partial") ...
 */
export function usageOfPages(pages: readonly LicensePage[]): { usage: CloudUsage; duplicates: number } {
  const assembler = new LicenseAssembler();
  for (const page of [...pages].sort((a, b) => a.page - b.page)) assembler.add(page);
  return assembler.finish();
}
