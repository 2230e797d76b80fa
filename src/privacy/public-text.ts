import { maskEmails } from "./email-guard.js";

/** GitHub's token formats (classic, OAuth, App, refresh, fine-grained) and JWTs. */
const TOKEN =
  /\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)/g;
/** A credential after its scheme: `Basic dXNlcjp0b2tlbg==`, `Bearer …`, `token …`. */
const CREDENTIAL = /\b(Basic|Bearer|token)\s+[A-Za-z0-9+/=._~-]{8,}/gi;
/** An absolute URL, up to what usually ends it in prose. */
const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()[\]{}`]*/gi;

/** Longest error text that leaves the process (replies, BullMQ's failedReason, log lines). */
export const PUBLIC_TEXT_MAX = 300;

/** `https://ghes.corp/api/v3/x?token=…` becomes `ghes.corp`: the host is what an operator acts on. */
function hostOf(url: string): string {
  try {
    const host = new URL(url).host;
    return host || "[address removed]";
  } catch {
    return "[address removed]";
  }
}

/**
 * Masks, without changing the layout: emails (`m***@corp.example`), tokens and credentials,
 * and URLs reduced to their host. For texts whose lines matter (a stack trace).
 *
 * @example scrubText("token ghp_0123456789abcdef0123 at https://ghes/api?x=1") // "token [token removed] at ghes"
 */
export function scrubText(text: string): string {
  return maskEmails(
    text.replace(URL_TEXT, hostOf).replace(TOKEN, "[token removed]").replace(CREDENTIAL, "$1 [removed]"),
  );
}

/**
 * An error text fit to leave the process: a server's answer can quote anything (an email, the
 * token we sent, its internal URLs, a whole HTML page), and error messages carry such answers
 * into replies, logs and Redis. One line, scrubbed as {@link scrubText}, at most
 * {@link PUBLIC_TEXT_MAX} characters.
 *
 * @example publicText("HttpError: Bad credentials for mona@corp.example") // "HttpError: Bad credentials for m***@corp.example"
 */
export function publicText(text: string, max = PUBLIC_TEXT_MAX): string {
  const line = scrubText(text).replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
