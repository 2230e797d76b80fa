import { createHmac, randomBytes } from "node:crypto";
import { emailDomain, handleToken, normalizeEmail } from "../reconcile/email.js";
import type { ProtectedEmail } from "../reconcile/model.js";

/**
 * Turns clear emails and handles into what the engine may hold: keyed (HMAC-SHA-256 with
 * `LICENSE_SYNC_SECRET`) and masked. One protector per run: keys are only comparable when made
 * with the same secret.
 */
export interface EmailProtector {
  /** Protects a raw email (normalizing it first); null for an empty one. */
  protect(raw: string | null | undefined): ProtectedEmail | null;
  /** Keys a raw email for comparison only; null for an empty one. */
  key(raw: string | null | undefined): string | null;
  /** Keys the handle token of a login, name or email; null when it has none. */
  handleKey(raw: string | null | undefined): string | null;
}

export interface ProtectorOptions {
  /** HMAC key. A random one is used when absent (fine for a single offline run). */
  secret?: string;
  /** Keep the clear address in `ProtectedEmail.email` (operator's own terminal only). */
  keepClear?: boolean;
}

/**
 * Masks a normalized email as `a***@corp.example`.
 *
 * @example maskEmail("mona@corp.example") // "m***@corp.example"
 */
export function maskEmail(normalized: string): string {
  const at = normalized.lastIndexOf("@");
  const local = at < 0 ? normalized : normalized.slice(0, at);
  const domain = at < 0 ? "" : normalized.slice(at);
  return `${local.slice(0, 1)}***${domain}`;
}

/**
 * @example
 *   const protector = createEmailProtector({ secret: process.env.LICENSE_SYNC_SECRET });
 *   protector.protect(" Mona@Corp.Example ") // { key: "3f2a…", masked: "m***@corp.example", domain: "corp.example" }
 */
export function createEmailProtector(options: ProtectorOptions = {}): EmailProtector {
  const secret = options.secret ?? randomBytes(32).toString("hex");
  const hmac = (value: string) => createHmac("sha256", secret).update(value).digest("base64url");
  const key = (raw: string | null | undefined) => {
    const normalized = normalizeEmail(raw);
    return normalized === null ? null : hmac(normalized);
  };
  return {
    key,
    protect(raw) {
      const normalized = normalizeEmail(raw);
      if (normalized === null) return null;
      const result: ProtectedEmail = { key: hmac(normalized), masked: maskEmail(normalized), domain: emailDomain(normalized) };
      if (options.keepClear) result.email = normalized;
      return result;
    },
    handleKey(raw) {
      const token = handleToken(raw);
      return token === null ? null : hmac(`handle:${token}`);
    },
  };
}
