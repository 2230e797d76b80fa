import { maskEmail } from "../privacy/protect.js";

/**
 * Anything shaped like an email address. Masked forms (`a***@corp.example`) match too, which is
 * what makes `maskEmails` idempotent: masking a masked address gives the same text.
 */
const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * The last guard before text leaves for GitHub: every address-shaped token is masked, so a clear
 * email that slipped into a free-text field (a sync error GitHub wrote, say) is never posted.
 * Renderers already write masked emails only; this is belt and braces.
 *
 * @example maskEmails("sync failed for mona@corp.example") // "sync failed for m***@corp.example"
 */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (address) => maskEmail(address.toLowerCase()));
}

/**
 * For history snapshots, which hold no email at all, not even masked.
 *
 * @example removeEmails("error for m***@corp.example") // "error for [email removed]"
 */
export function removeEmails(text: string): string {
  return text.replace(EMAIL, "[email removed]");
}
