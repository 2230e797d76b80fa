import { z } from "zod";
import type { EmailProtector } from "../../privacy/index.js";
import type { ServerAccount } from "../../shared/index.js";
import { lenientBoolean } from "./lenient.js";

/** Built-in GHES accounts that never consume a seat (docs/matching-rule.md, step 2). */
const UNLICENSED_LOGINS = new Set(["ghost", "scim-admin"]);

const flag = z.unknown().transform((value, ctx) => {
  const parsed = lenientBoolean(value);
  if (parsed === undefined) {
    // The value is not quoted back: error messages never carry field values (they may be emails).
    ctx.addIssue({ code: "custom", message: "expected a boolean (true/false/yes/no/1/0)" });
    return z.NEVER;
  }
  return parsed;
});

/** One `all_users.csv` row, as far as license counting needs it. */
export const allUsersRowSchema = z.object({
  /** GHES user id: a positive integer a double holds exactly (a longer one would be rounded into another account's id, or Infinity). */
  id: z
    .string()
    .trim()
    .regex(/^\d+$/, "expected a numeric user id")
    .transform(Number)
    .refine(Number.isSafeInteger, "expected a numeric user id below 2^53"),
  /** Login; `ghost` and `scim-admin` are never billable. */
  login: z.string().trim().min(1, "login is empty"),
  /** Primary email; empty when the account has none. */
  email: z.string().optional().default(""),
  /** `user`, `admin` (site admin), or `organization` on some exports; compared without case, spaces, `-` or `_`. */
  role: z
    .string()
    .transform((role) => role.toLowerCase().replace(/[\s_-]/g, ""))
    .optional()
    .default("user"),
  /** Suspended accounts are not billable. */
  suspended: flag.optional().default(false),
  /** Dormant accounts are still billable. */
  dormant: flag.optional().default(false),
});
export type AllUsersRow = z.output<typeof allUsersRowSchema>;

/** Role values of a site administrator, normalized (`admin`, `Site admin`, `site_admin`). */
const SITE_ADMIN_ROLES = new Set(["admin", "siteadmin"]);

/**
 * Role values that mark an organization, normalized. GitHub documents the `id` column of
 * `all_users.csv` as "Account ID for the user or organization", so a report may hold
 * organizations; they own no seat and are never a person. The only documented column that tells
 * them apart is `role`: a row whose role reads `organization` (any case: `Organization`,
 * `ORGANIZATION`, `org`) is an organization. Every other signal of the documented columns
 * (`email` empty, `ssh_keys` 0, no `last_logged_ip`) also fits real people who never signed in,
 * so none of them is used. A whole `all_organizations.csv` given by mistake is refused by its
 * header (see `readAllUsersCsv`).
 */
export const ORGANIZATION_ROLES = new Set(["organization", "organisation", "org"]);

/** Turns a validated row into the engine's record, protecting the email on the spot. */
export function toServerAccount(row: AllUsersRow, hostname: string, protector: EmailProtector): ServerAccount {
  const loginKey = protector.handleKey(row.login);
  const emailHandle = protector.handleKey(row.email);
  // Literal arrays: exact size (a pushed-to `[]` reserves 17 slots per account).
  const handleKeys =
    loginKey === null
      ? emailHandle === null
        ? []
        : [emailHandle]
      : emailHandle === null || emailHandle === loginKey
        ? [loginKey]
        : [loginKey, emailHandle];
  return {
    hostname,
    id: row.id,
    handleKeys,
    primaryEmail: protector.protect(row.email),
    suspended: row.suspended,
    dormant: row.dormant,
    siteAdmin: SITE_ADMIN_ROLES.has(row.role),
    licensable: !UNLICENSED_LOGINS.has(row.login.toLowerCase()) && !ORGANIZATION_ROLES.has(row.role),
  };
}
