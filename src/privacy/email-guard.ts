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
 * local part, the invisible joiner after `@` that stops GitHub pinging the domain). Masked forms
 * (`a***@corp.example`) match too, which is what makes `maskEmails` idempotent: masking a masked
 * address gives the same text.
 */
const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\\-]+@\u200D?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * Masks every address-shaped token (`a***@domain`), so a clear email that slipped into a
 * free-text field is never written out.
 *
 * @example maskEmails("sync failed for mona@corp.example") // "sync failed for m***@corp.example"
 */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (address) => (isMasked(address) ? address : maskEmail(address.toLowerCase())));
}

/** Already `a***@domain` (its Markdown escapes aside): left exactly as the renderer wrote it. */
function isMasked(address: string): boolean {
  return /^.?\*\*\*$/.test(address.slice(0, address.lastIndexOf("@")).replace(/\\/g, ""));
}

/**
 * For history snapshots, which hold no email at all, not even masked.
 *
 * @example removeEmails("error for m***@corp.example") // "error for [email removed]"
 */
export function removeEmails(text: string): string {
  return text.replace(EMAIL, "[email removed]");
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
