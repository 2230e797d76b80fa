import type { Readable } from "node:stream";
import type { EmailProtector } from "../../privacy/index.js";
import { type CloudUsage, InputError } from "../../shared/index.js";
import { usageOfPages } from "../ghec/license-page.js";
import { readConsumedLicensesCsv } from "./consumed-licenses-csv.js";
import { readConsumedLicensePagesJson } from "./consumed-licenses-json.js";
import { peekFirstCharacter, textChunks } from "./text-chunks.js";

/** A `--cloud` input as read: GitHub's list, whole or not, and what was dropped on the way. */
export interface ConsumedLicensesFile extends CloudUsage {
  /** JSON (any paging form) or the billing page's CSV, told apart by content. */
  format: "json" | "csv";
  /** Rows dropped because the same person was already read (repeated pages or shifted rows). */
  duplicates: number;
}

/**
 * The one reader of consumed licenses on disk (`report --cloud`): the API's JSON however it was
 * saved (one object, pages back to back or one per line, an array of pages, an array of user
 * rows) or the billing page's CSV, in GitHub.com or GHE.com key spelling. Rows are merged across
 * pages and deduplicated exactly as the App's collector does (`usageOfPages`); `completeness`
 * says whether the list is whole. Bytes are decoded with one streaming decoder.
 *
 * @example const cloud = await readConsumedLicenses(fs.createReadStream(file), { source: file, protector });
 */
export async function readConsumedLicenses(
  input: Readable,
  options: { source: string; protector: EmailProtector },
): Promise<ConsumedLicensesFile> {
  const { first, text } = await peekFirstCharacter(textChunks(input, options.source));
  if (first === undefined)
    throw new InputError(
      options.source,
      "",
      "the file is empty",
      "Save the consumed-licenses response (or the license CSV) again.",
    );
  const format = first === "{" || first === "[" ? "json" : "csv";
  const pages =
    format === "json"
      ? await readConsumedLicensePagesJson(text, options)
      : [await readConsumedLicensesCsv(text, options)];
  const { usage, duplicates } = usageOfPages(pages);
  return { ...usage, format, duplicates };
}
