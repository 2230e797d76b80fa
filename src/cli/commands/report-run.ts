import { createReadStream } from "node:fs";
import {
  type ConsumedLicensesFile,
  readAllUsersCsvBatches,
  readConsumedLicenses,
  readExternalIdentitiesJson,
} from "../../collect/readers/index.js";
import { createEmailProtector } from "../../privacy/index.js";
import { detectDivergences, startReconciliation } from "../../reconcile/index.js";
import { InputError } from "../../shared/index.js";
import { checkOutputDirectory } from "../atomic-write.js";
import { emitReport, parseFormat } from "../emit-report.js";
import { parseOptions } from "../parse-options.js";

/** Parses repeated `--server HOST=FILE`, rejecting a host given twice. */
export function parseServerArgs(values: string[]): Array<{ hostname: string; file: string }> {
  const seen = new Set<string>();
  return values.map((value) => {
    const eq = value.indexOf("=");
    const hostname = value.slice(0, eq).trim().toLowerCase();
    const file = value.slice(eq + 1).trim();
    if (eq <= 0 || hostname === "" || file === "") {
      throw new InputError(
        "command line",
        `--server ${value}`,
        "expected HOST=FILE",
        "Write it as --server ghes-a.corp.example=all_users.csv.",
      );
    }
    if (seen.has(hostname)) {
      throw new InputError(
        "command line",
        `--server ${value}`,
        `host ${hostname} is given twice`,
        "Give each instance once; merge its reports first if you have several.",
      );
    }
    seen.add(hostname);
    return { hostname, file };
  });
}

function parseReportArgs(args: string[]) {
  return parseOptions(args, {
    server: { type: "string", multiple: true, default: [] },
    cloud: { type: "string" },
    identities: { type: "string" },
    format: { type: "string", default: "table" },
    out: { type: "string" },
    "show-emails": { type: "boolean", default: false },
    "allow-incomplete": { type: "boolean", default: false },
  });
}

/**
 * Completeness of the cloud list (docs/matching-rule.md, Checks: `total_seats_consumed` is the number of rows of the
 * full list): fewer rows are refused unless the operator allows a partial report, which then
 * says so in every format (and here on standard error, for csv).
 */
function checkCompleteness(cloud: ConsumedLicensesFile, source: string, allowIncomplete: boolean): void {
  const rows = cloud.licenses.length;
  if (cloud.completeness === "partial") {
    // Fewer rows: pages are missing. Otherwise (more rows, or pages that disagree on the total) the pages are not one snapshot.
    const missing = rows < cloud.seatsConsumed;
    const held = missing
      ? `holds ${rows} of ${cloud.seatsConsumed} rows`
      : `holds ${rows} distinct rows against a total_seats_consumed of ${cloud.seatsConsumed}, or pages that disagree on that total: the pages are not one snapshot (saved at different times, or the list changed while saved)`;
    if (!allowIncomplete) {
      const save = missing ? "Save every page" : "Save every page again in one go";
      throw new InputError(
        source,
        "",
        held,
        `${save} (\`gh api --paginate /enterprises/ENTERPRISE/consumed-licenses\`), or pass --allow-incomplete for a report marked partial.`,
      );
    }
    process.stderr.write(
      `license-sync report: ${source} ${held}: the report is partial and ${missing ? "every count in it is low" : "its counts may be off"}.\n`,
    );
  } else if (cloud.completeness === "unchecked") {
    process.stderr.write(
      `license-sync report: ${source} carries no totals (${cloud.format === "csv" ? "the license CSV" : "bare user rows"}): seats purchased unknown, completeness not checked.\n`,
    );
  }
}

/**
 * `license-sync report`: offline reconciliation of downloaded files.
 *  1. parse and check arguments
 *  2. read the cloud response and the identities
 *  3. stream every server report through the engine
 *  4. render and write (to --out atomically, so a failure leaves nothing half-written)
 */
export async function runReport(args: string[]): Promise<number> {
  // 1.
  const options = parseReportArgs(args);
  const format = parseFormat(options.format, ["table", "json", "csv", "markdown"]);
  const servers = parseServerArgs(options.server);
  if (!options.cloud)
    throw new InputError(
      "command line",
      "--cloud",
      "missing",
      "Give --cloud consumed-licenses.json (`gh api --paginate /enterprises/ENTERPRISE/consumed-licenses`) or the license CSV of Enterprise settings > Licensing.",
    );
  if (options.out) await checkOutputDirectory(options.out);
  const protector = createEmailProtector({
    secret: process.env.LICENSE_SYNC_SECRET,
    keepClear: options["show-emails"],
  });
  // 2. + 3. cloud first, so server accounts stream through the engine and are not all held
  const cloud = await readConsumedLicenses(createReadStream(options.cloud), { source: options.cloud, protector });
  checkCompleteness(cloud, options.cloud, options["allow-incomplete"]);
  // The identities are read straight into the engine: held by no variable here, they are let go
  // once it has indexed them, before the server accounts stream in.
  const run = startReconciliation({
    collectedHosts: servers.map((s) => s.hostname),
    cloud,
    identities: options.identities
      ? await readExternalIdentitiesJson(createReadStream(options.identities), {
          source: options.identities,
          protector,
        })
      : [],
  });
  for (const { hostname, file } of servers) {
    for await (const accounts of readAllUsersCsvBatches(createReadStream(file), { hostname, source: file, protector }))
      for (const account of accounts) run.addServerAccount(account);
  }
  const report = run.finish({ perPerson: format === "csv" });
  // No sync status, licenses or repository config offline: seat divergences, default thresholds.
  report.divergences = detectDivergences({ report });
  // 4.
  await emitReport(report, format, options.out, { showEmails: options["show-emails"] });
  return 0;
}
