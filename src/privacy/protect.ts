import { createHmac, randomBytes } from "node:crypto";
import { createKeyedSha256, createPrefixedSha256 } from "./hmac.js";
import { emailDomain, handleToken, normalizeEmail, type ProtectedEmail } from "../shared/index.js";

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
  /**
   * A short public fingerprint of the secret, written into usage files: keys made with another
   * secret never match, and this tells the operator so instead of silently double counting.
   */
  keyId: string;
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
  // The first character whole: half of a pair (an emoji, a CJK extension) would be broken text.
  const first = local.slice(0, (local.codePointAt(0) ?? 0) > 0xffff ? 2 : 1);
  return `${first}***${domain}`;
}

/**
 * Keeps one copy of each repeated display string. A million accounts share a few domains and
 * masks; interning saves memory and, since `slice` can keep its parent alive, makes sure no clear
 * address survives inside a domain string.
 */
function interner(): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    let copy = seen.get(value);
    if (copy === undefined) {
      copy = Buffer.from(value, "utf8").toString("utf8"); // a fresh flat string, not a slice
      seen.set(copy, copy);
    }
    return copy;
  };
}

/**
 * @example
 *   const protector = createEmailProtector({ secret: process.env.LICENSE_SYNC_SECRET });
 *   protector.protect(" Mona@Corp.Example ") // { key: "3f2a…", masked: "m***@corp.example", domain: "corp.example" }
 */
export function createEmailProtector(options: ProtectorOptions = {}): EmailProtector {
  const secret = options.secret ?? randomBytes(32).toString("hex");
  // HMAC-SHA-256 truncated to 128 bits (22 base64url characters): collision-free in practice at
  // millions of addresses, and a third of the memory of the full digest.
  const keyed = createKeyedSha256(secret);
  // The same value often comes twice in a row (a NameID that is also the SAML username and email,
  // a login whose handle is the email's): the last answer is kept, one value, for each kind of key.
  let lastEmail: string | undefined;
  let lastEmailKey = "";
  const hmac = (value: string) => {
    if (value !== lastEmail) {
      lastEmailKey = keyed(value, 16);
      lastEmail = value;
    }
    return lastEmailKey;
  };
  let lastToken: string | undefined;
  let lastTokenKey = "";
  // Handles only feed the look-alike diagnosis, never matching: a keyed one-shot SHA-256 truncated
  // to 64 bits is enough there and several times cheaper than an HMAC.
  const handleSha256 = createPrefixedSha256(`handle\u0000${secret}\u0000`);
  const intern = interner();
  const key = (raw: string | null | undefined) => {
    const normalized = normalizeEmail(raw);
    return normalized === null ? null : hmac(normalized);
  };
  return {
    key,
    keyId: createHmac("sha256", secret).update("license-sync key id").digest("base64url").slice(0, 12),
    protect(raw) {
      const normalized = normalizeEmail(raw);
      if (normalized === null) return null;
      const result: ProtectedEmail = {
        key: hmac(normalized),
        masked: intern(maskEmail(normalized)),
        domain: intern(emailDomain(normalized)),
      };
      if (options.keepClear) result.email = normalized;
      return result;
    },
    handleKey(raw) {
      const token = handleToken(raw);
      if (token === null) return null;
      if (token !== lastToken) {
        lastTokenKey = handleSha256(token, 8);
        lastToken = token;
      }
      return lastTokenKey;
    },
  };
}
