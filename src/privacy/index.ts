/**
 * Privacy: emails keyed with HMAC as they are read, the guard that masks emails in every text
 * that leaves the process, and the log line options every logger shares.
 */
export { maskEmails, maskError, removeEmails } from "./email-guard.js";
export { logLineOptions } from "./log-lines.js";
export { createEmailProtector, type EmailProtector } from "./protect.js";
export { publicText, scrubText } from "./public-text.js";
