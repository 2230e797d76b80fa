/**
 * docs/matching-rule.md, step 1: trim white space and lower-case the whole address. Nothing else (no dot or
 * plus-tag folding), so our numbers agree with the rule every part computes.
 *
 * @example normalizeEmail("  Mona.Lisa@Corp.Example ") // "mona.lisa@corp.example"
 */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const email = raw.trim().toLowerCase();
  return email === "" ? null : email;
}

/** The domain of a normalized email, or "" when it has no `@`. */
export function emailDomain(normalized: string): string {
  const at = normalized.lastIndexOf("@");
  return at < 0 ? "" : normalized.slice(at + 1);
}

/**
 * A loose token for "looks like the same person": letters and digits only, lower-case, plus-tags
 * and domains dropped. Only used for diagnosis, never for matching. Tokens shorter than 3
 * characters say nothing and are dropped.
 *
 * @example handleToken("Mona.Lisa+gh@corp.example") // "monalisa"
 */
export function handleToken(value: string | null | undefined): string | null {
  if (!value) return null;
  let local = value.trim().toLowerCase();
  const at = local.indexOf("@");
  if (at >= 0) local = local.slice(0, at);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  // Most handles are already plain letters and digits: two regex replacements (and their strings)
  // only when they are not.
  if (!isPlainToken(local)) local = local.replace(/_(ghe|emu|corp)$/i, "").replace(/[^a-z0-9]/g, "");
  return local.length >= 3 ? local : null;
}

/** Whether a lower-cased text is only a-z and 0-9, so that handleToken's replacements change nothing. */
function isPlainToken(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39))) return false;
  }
  return true;
}
