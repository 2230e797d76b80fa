import { maskEmail } from "./protect.js";

/**
 * The one guard every text leaving the process passes: log lines (the pino `streamWrite` hook every
 * logger shares, privacy/log-lines.ts), GitHub writes (the Octokit plugin `emailGuardPlugin`), failure reasons
 * BullMQ stores (`toQueueError`), and the CLI's messages. Parsers and renderers already avoid
 * clear emails; this is defence in depth for the text nobody thought of (an error quoting a field,
 * a sync error GitHub wrote).
 */

/**
 * Anything shaped like an email address, also as Markdown renders it (backslash escapes in the
 * local part, the invisible joiner after `@` that stops GitHub pinging the domain), and as
 * internationalized addresses are written (RFC 6531: any non-ASCII letter in the local part,
 * IDN domains in Unicode) or with a quoted local part (`"mona lisa"@corp.example`, RFC 5321).
 * `replaceEmails` below finds what these two patterns match, the quoted form first:
 *
 *   /"[^"\n]{1,254}"@\u200D?[\p{L}\p{N}\p{M}-]+(?:\.[\p{L}\p{N}\p{M}-]+)+/gu
 *   /(?:[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]|[^\x00-\x7F\s\u200B-\u200D\u2060])(?:[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~\\-]|[^\x00-\x7F\s\u200B-\u200D\u2060])*@\u200D?[\p{L}\p{N}\p{M}-]+(?:\.[\p{L}\p{N}\p{M}-]+)+/gu
 *
 * A local part's non-ASCII characters count as such, but for spaces and invisible joiners:
 * `josé.garcía@…` was masked from its last `a` on, leaving the name in clear. A local part
 * never starts with a backslash (no address does): in a JSON log line, `\nmona@…` is an escaped
 * line break before the address, and masking from the backslash (`\***@…`) made the line invalid
 * JSON. Masked forms (`a***@corp.example`, `"***@corp.example`) match too, which is what makes `maskEmails`
 * idempotent: masking a masked address gives the same text.
 */
const LOCAL_PART = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~\\-")
  LOCAL_PART[char.charCodeAt(0)] = 1;
/** The address from its `@` on. */
const DOMAIN_PART = /@\u200D?[\p{L}\p{N}\p{M}-]+(?:\.[\p{L}\p{N}\p{M}-]+)+/uy;
/** Never the first character of a local part (see above). */
const BACKSLASH = 0x5c;
/** Longest quoted local part looked back for (RFC 5321's 64 octets, with room): bounds the work per `"@`. */
const MAX_QUOTED = 254;

/** A character of an unquoted local part: the ASCII ones above, any other but spaces and invisible joiners. */
function isLocal(code: number): boolean {
  if (code < 128) return LOCAL_PART[code] === 1;
  return !(
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200d) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x2060 ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Masks every address-shaped token (`a***@domain`), so a clear email that slipped into a
 * free-text field is never written out.
 *
 * @example maskEmails("sync failed for mona@corp.example") // "sync failed for m***@corp.example"
 */
export function maskEmails(text: string): string {
  return replaceEmails(text, (address) => (isMasked(address) ? address : maskEmail(address.toLowerCase())));
}

/** Both patterns above, the quoted one first: each `text.replace(pattern, replace)`, found from each `@`. */
function replaceEmails(text: string, replace: (address: string) => string): string {
  if (!text.includes("@")) return text;
  return replaceUnquoted(replaceQuoted(text, replace), replace);
}

/**
 * The quoted pattern, from each `"@`: a match's opening quote is the quote just before it (the
 * pattern holds no quote inside), taken when 1 to `MAX_QUOTED` characters lie between, with no
 * line break, after the previous match, and `DOMAIN_PART` matches at the `@`.
 */
function replaceQuoted(text: string, replace: (address: string) => string): string {
  const parts: string[] = [];
  let done = 0;
  for (let close = text.indexOf('"@'); close !== -1; close = text.indexOf('"@', close + 1)) {
    const open = text.lastIndexOf('"', close - 1);
    const length = close - open - 1;
    if (open < done || length < 1 || length > MAX_QUOTED || text.slice(open, close).includes("\n")) continue;
    DOMAIN_PART.lastIndex = close + 1;
    if (!DOMAIN_PART.test(text)) continue;
    const end = DOMAIN_PART.lastIndex;
    parts.push(text.slice(done, open), replace(text.slice(open, end)));
    done = end;
  }
  if (done === 0) return text;
  parts.push(text.slice(done));
  return parts.join("");
}

/**
 * The unquoted pattern, found from each `@` instead of tried at every character: the same matches
 * (test/unit/privacy/email-guard.test.ts holds the two together) in a fraction of the time on a
 * 35 MB report, where the regex retries its local-part run at every position.
 * A match holds one `@` and its local part is the longest run of local-part characters before
 * it (never reaching back into the previous match), so the leftmost match around an `@` starts
 * where that run starts, after any backslashes it starts with, and exists when what is left is
 * not empty and `DOMAIN_PART` matches there.
 */
function replaceUnquoted(text: string, replace: (address: string) => string): string {
  const parts: string[] = [];
  let done = 0;
  let at = text.indexOf("@");
  while (at !== -1) {
    let start = at;
    while (start > done && isLocal(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === BACKSLASH) start++;
    DOMAIN_PART.lastIndex = at;
    if (start < at && DOMAIN_PART.test(text)) {
      const end = DOMAIN_PART.lastIndex;
      parts.push(text.slice(done, start), replace(text.slice(start, end)));
      done = end;
    }
    at = text.indexOf("@", Math.max(at + 1, done));
  }
  if (done === 0) return text;
  parts.push(text.slice(done));
  return parts.join("");
}

/** Already `a***@domain` (its Markdown escapes aside): left exactly as the renderer wrote it. */
function isMasked(address: string): boolean {
  return /^.?\*\*\*$/u.test(address.slice(0, address.lastIndexOf("@")).replace(/\\/g, ""));
}

/**
 * For history snapshots, which hold no email at all, not even masked.
 *
 * @example removeEmails("error for m***@corp.example") // "error for [email removed]"
 */
export function removeEmails(text: string): string {
  return replaceEmails(text, () => "[email removed]");
}

/**
 * Masks an error's message and stack in place (keeping its class, name and fields, which BullMQ
 * and the failure classification read) and returns it. Used where an error is about to be stored
 * or shown as text.
 *
 * @example throw maskError(error);
 */
export function maskError<E extends Error>(error: E): E {
  const message = maskEmails(error.message);
  if (message !== error.message) error.message = message;
  if (typeof error.stack === "string") {
    const stack = maskEmails(error.stack);
    if (stack !== error.stack) error.stack = stack;
  }
  return error;
}
