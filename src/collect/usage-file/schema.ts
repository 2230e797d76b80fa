import { z } from "zod";

/** Identifies the format; readers reject anything else. */
export const USAGE_FILE_FORMAT = "license-sync/usage-file";
export const USAGE_FILE_VERSION = 1;

const iso = z.iso.datetime({ offset: true, error: "expected an ISO 8601 date-time" });
const seats = z.union([z.int().min(0), z.literal("unlimited")]);

/** One GHES account in a usage file: no clear email, ever. */
export const usageAccountSchema = z.strictObject({
  /** GHES user id. */
  id: z.int().min(1),
  /** The primary email, keyed and masked; null when the account has none. */
  email: z
    .strictObject({
      /** HMAC-SHA-256 (128 bits, base64url) of the normalized address, keyed by LICENSE_SYNC_SECRET. */
      hash: z.string().regex(/^[A-Za-z0-9_-]{22}$/, "expected a 22-character base64url hash"),
      /** Display form, `a***@corp.example`. */
      masked: z.string().regex(/^.?\*\*\*@[^@\s]*$/u, "expected a masked email like a***@corp.example"),
    })
    .nullable(),
  /** Keyed tokens of the login and the email's local part (look-alike diagnosis only). */
  handles: z.array(z.string().regex(/^[A-Za-z0-9_-]{11}$/, "expected an 11-character base64url token")).max(4),
  suspended: z.boolean(),
  dormant: z.boolean(),
  siteAdmin: z.boolean(),
  /** False for `ghost`, `scim-admin` and organizations: never billable. */
  licensable: z.boolean(),
});
export type UsageAccount = z.output<typeof usageAccountSchema>;

/** Everything of a usage file but its accounts (read first, checked before accounts stream in). */
export const usageHeaderSchema = z.strictObject({
  /** Always `license-sync/usage-file`. */
  format: z.literal(USAGE_FILE_FORMAT, { error: `expected "${USAGE_FILE_FORMAT}"` }),
  /** Format version; this release reads 1. */
  version: z.literal(USAGE_FILE_VERSION, {
    error: `expected ${USAGE_FILE_VERSION} (written by a newer license-sync?)`,
  }),
  server: z.strictObject({
    /** As GitHub writes it in `enterprise_server_user_ids`. */
    hostname: z
      .string()
      .min(1)
      .transform((h) => h.trim().toLowerCase()),
    /** GHES version from `GET /api/v3/meta`, when known. */
    version: z.string().nullable(),
  }),
  /** When the accounts were read. */
  generatedAt: iso,
  /** `GET /enterprise/settings/license`; null when unavailable. */
  license: z
    .strictObject({
      seats,
      seatsUsed: z.int().min(0),
      seatsAvailable: seats.nullable(),
      kind: z.string(),
      daysUntilExpiration: z.int().nullable(),
      expiresAt: iso.nullable(),
    })
    .nullable(),
  /** How emails were keyed. */
  hashing: z.strictObject({
    algorithm: z.literal("hmac-sha256-128"),
    /** Fingerprint of LICENSE_SYNC_SECRET; must equal the app's. */
    keyId: z.string().min(1),
  }),
  /** Number of entries in `accounts` (a check against truncated files). */
  accountCount: z.int().min(0),
});
export type UsageHeader = z.output<typeof usageHeaderSchema>;

/** A whole usage file (for JSON Schema generation and small files). */
export const usageFileSchema = usageHeaderSchema.extend({ accounts: z.array(usageAccountSchema) });
export type UsageFile = z.output<typeof usageFileSchema>;

/** JSON Schema of the usage file, generated from its zod schema (committed as schemas/usage-file.schema.json). */
export function usageFileJsonSchema(): object {
  return {
    $id: "https://raw.githubusercontent.com/license-sync/license-sync/main/schemas/usage-file.schema.json",
    title: "license-sync usage file",
    description:
      "Accounts of one GitHub Enterprise Server instance with keyed and masked emails; see docs/usage-file.md.",
    ...z.toJSONSchema(usageFileSchema, { io: "input" }),
  };
}
