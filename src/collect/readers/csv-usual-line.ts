const COMMA = 0x2c;

/**
 * Longest line taken here: far below csv-parse's `max_record_size` (ghes-csv.ts), so a line this
 * path accepts can never be one csv-parse would refuse as too long.
 */
export const MAX_USUAL_LINE_CHARS = 16 * 1024;

/**
 * The fields of one CSV line when it is written the usual way, or undefined when it is not: then
 * csv-parse reads it, and everything after it, so what is accepted and every error message stay
 * csv-parse's. Usual: fields separated by commas, each either without any quote or wholly quoted
 * (`"2024-01-02 03:04:05 UTC"`, as GHES writes `created_at`) with no quote, CR or LF inside, and
 * exactly `expected` fields. `line` comes without its line ending (a CRLF's CR removed).
 * `keep`: 1 for the fields the caller reads; the others are checked the same but given as `""`
 * (eight of GHES's fourteen columns are never read: no string is cut for them).
 *
 * `partial`: `line` is the start of a line whose end has not arrived yet; undefined then means
 * csv-parse would already refuse what is there (a quote inside an unquoted field, text after a
 * closing quote, a CR), so the caller hands it over now and the refusal comes
 * when csv-parse's would, before the rows read with it are validated.
 *
 * @example usualCsvFields('"2024-01-02",42,mona', 3) // ["2024-01-02", "42", "mona"]
 */
export function usualCsvFields(
  line: string,
  expected: number,
  partial = false,
  keep?: Uint8Array,
): string[] | undefined {
  if (line.length > MAX_USUAL_LINE_CHARS || line.includes("\r")) return undefined;
  const end = line.length;
  const fields: string[] = [];
  let start = 0;
  // The next quote at or after `start`, found once per quote rather than once per field.
  let quote = line.indexOf('"');
  for (;;) {
    if (quote >= 0 && quote < start) quote = line.indexOf('"', start);
    const wanted = keep === undefined || keep[fields.length] === 1;
    if (quote === start) {
      const close = line.indexOf('"', start + 1);
      if (close < 0 || close >= end) return partial ? fields : undefined;
      if (close + 1 !== end && line.charCodeAt(close + 1) !== COMMA) return undefined;
      fields.push(wanted ? line.slice(start + 1, close) : "");
      if (close + 1 === end) break;
      start = close + 2;
    } else {
      let comma = line.indexOf(",", start);
      if (comma < 0 || comma > end) comma = end;
      if (quote >= 0 && quote < comma) return undefined;
      fields.push(wanted ? line.slice(start, comma) : "");
      if (comma === end) break;
      start = comma + 1;
    }
    if (fields.length > expected && !partial) return undefined;
  }
  return partial || fields.length === expected ? fields : undefined;
}
