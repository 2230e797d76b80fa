import { type GitHubClient, RequestMeter, settleAll } from "../../github/index.js";
import type { EmailProtector } from "../../privacy/index.js";
import type { CloudLicense, CloudProgress, ConsumedLicensesResult, Log } from "../../shared/index.js";
import { cloudFailure } from "./access.js";
import { exactNameIds } from "../readers/cloud-row.js";
import { LicenseAssembler, parseLicensePage, type PageFacts } from "./license-page.js";

/** GitHub's largest page. */
const PER_PAGE = 100;
/** Pages read past the expected last one before giving up on a list that keeps growing. */
const MAX_EXTRA_PAGES = 50;

export interface CollectConsumedLicensesOptions {
  client: GitHubClient;
  /** Enterprise slug. */
  enterprise: string;
  protector: EmailProtector;
  logger: Log;
  /** Pages fetched at once after the first (default 8). */
  concurrency?: number;
  onProgress?: (progress: CloudProgress) => void;
  /**
   * Where each license goes, in list order with its final `index`, as soon as the pages before it
   * are in; `usage.licenses` then comes back empty and no row is held until the end.
   */
  onLicense?: (license: CloudLicense) => void;
}

/**
 * Reads every `consumed-licenses` page. The endpoint has no `total_count`, but the first page's
 * `total_seats_consumed` says how many pages follow, so pages 2..N are fetched concurrently: a
 * healthy run makes exactly ceil(total / 100) requests. If the list moves while it is read
 * (totals differ between pages, a row shows up twice, the last page comes back full), rows are
 * deduplicated, further pages are read until a short one, and the result says so. Rows are
 * assembled as pages arrive (`LicenseAssembler`): only the dedup keys and pages waiting behind a
 * slower one are held.
 *
 * @example
 *   const { usage, totalsChangedMidRun } = await collectConsumedLicenses({ client, enterprise: "acme", protector, logger });
 */
export async function collectConsumedLicenses(
  options: CollectConsumedLicensesOptions,
): Promise<ConsumedLicensesResult> {
  const { client, enterprise, protector, logger, concurrency = 8, onProgress, onLicense } = options;
  const source = `GET /enterprises/${enterprise}/consumed-licenses`;
  const meter = new RequestMeter();
  const assembler = new LicenseAssembler(onLicense);
  const pages = assembler.pages();
  let expectedPages = 1;
  let latestTotal = 0;
  let rowsRead = 0;
  const fetchPage = async (page: number): Promise<PageFacts> => {
    let data: unknown;
    try {
      // The body is parsed here, not by Octokit: `JSON.parse` alone would round a numeric SAML NameID of 16+ digits.
      const response = await client.request("GET /enterprises/{enterprise}/consumed-licenses", {
        enterprise,
        per_page: PER_PAGE,
        page,
        request: { ...meter.tag(), parseSuccessResponseBody: false },
      });
      data = await new Response(response.data as unknown as ReadableStream<Uint8Array> | null).text();
    } catch (error) {
      throw cloudFailure(error, enterprise, `${source} (page ${page})`);
    }
    try {
      data = exactNameIds(data as string);
    } catch {
      // Not JSON: left as text, which the page check refuses naming the page (never quoting the body).
    }
    const parsed = parseLicensePage(data, page, { source, protector });
    assembler.add(parsed);
    latestTotal = parsed.totalConsumed ?? 0;
    rowsRead += parsed.size;
    // The first page's total says how many pages there are: report that, not "1 of 1".
    if (page === 1) expectedPages = Math.max(1, Math.ceil(latestTotal / PER_PAGE));
    onProgress?.({ pagesRead: pages.length, pages: Math.max(expectedPages, pages.length), rowsRead });
    const { rows: _rows, ...facts } = parsed;
    return facts;
  };

  await fetchPage(1);
  expectedPages = Math.max(1, Math.ceil(latestTotal / PER_PAGE));
  const firstTotal = latestTotal;
  // Pages 2..N with `concurrency` in flight, each answered page making room for the next (a slow
  // page holds up one slot, not a whole window), up to the first short page: a total that
  // overstates the list (a broken server claiming 10^9 seats) costs at most `concurrency` - 1
  // requests past it, not 10^7.
  let end = pages[0]!.size < PER_PAGE ? 1 : expectedPages;
  let next = 2;
  let failed = false;
  const lane = async () => {
    while (!failed && next <= end) {
      const number = next++;
      try {
        const page = await fetchPage(number);
        if (page.size < PER_PAGE) end = Math.min(end, number);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await settleAll(Array.from({ length: concurrency }, () => lane));
  if (pages[0]!.size < PER_PAGE) end = 1;

  let last = pages.reduce(
    (highest, page) => (page.page <= end && page.page > highest.page ? page : highest),
    pages[0]!,
  );
  const totalsChanged = () => pages.some((page) => page.totalConsumed !== firstTotal);
  // A full last page means rows may have been pushed past it: read on until a short page.
  while (last.size === PER_PAGE && (totalsChanged() || assembler.rows !== latestTotal)) {
    if (last.page - expectedPages >= MAX_EXTRA_PAGES) {
      throw new Error(
        `${source}: still full pages after page ${last.page} (${MAX_EXTRA_PAGES} more than the ${expectedPages} expected); the list keeps growing. Run again later.`,
      );
    }
    last = await fetchPage(last.page + 1);
  }

  const extraPages = last.page - expectedPages;
  const shortPages = pages.filter((page) => page.page < last.page && page.size < PER_PAGE).map((page) => page.page);
  const totalsChangedMidRun = totalsChanged() || assembler.duplicates > 0 || extraPages > 0 || shortPages.length > 0;
  if (totalsChangedMidRun) {
    logger.warn(
      {
        enterprise,
        firstTotal,
        latestTotal,
        duplicatesDropped: assembler.duplicates,
        extraPages,
        shortPages,
        rows: assembler.rows,
      },
      "consumed-licenses changed while it was read; rows were deduplicated and missing pages read, but the counts are a moving snapshot",
    );
  }
  const { usage } = assembler.finish();
  if (usage.completeness === "partial") {
    // Never published as complete: the totals carry `partial` and the summary says so.
    logger.warn(
      { enterprise, rows: assembler.rows, seatsConsumed: usage.seatsConsumed, pages: pages.length },
      "consumed-licenses returned fewer distinct rows than total_seats_consumed: the run is marked partial",
    );
  }
  logger.info(
    {
      enterprise,
      rows: assembler.rows,
      seatsConsumed: usage.seatsConsumed,
      pages: pages.length,
      requests: meter.count,
    },
    "collected consumed licenses",
  );
  return { usage, requests: meter.count, totalsChangedMidRun };
}
