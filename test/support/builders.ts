import { allUsersRowSchema, toServerAccount } from "../../src/collect/readers/ghes-account.js";
import { consumedLicenseRowSchema, toCloudLicense, verifiedDomainsOfRow } from "../../src/collect/readers/cloud-row.js";
import { externalIdentitySchema, toExternalIdentity } from "../../src/collect/readers/identities-json.js";
import { createEmailProtector } from "../../src/privacy/protect.js";
import type { CloudUsage, ExternalIdentity, ServerAccount } from "../../src/shared/report.js";

/** One protector per test file run: keys are only comparable within it. */
export const protector = createEmailProtector({ secret: "test-secret" });

/** A GHES account from all_users.csv-like fields, through the real row schema. */
export function account(
  hostname: string,
  id: number,
  login: string,
  email: string,
  flags: { suspended?: boolean; dormant?: boolean; role?: string } = {},
): ServerAccount {
  const row = allUsersRowSchema.parse({
    id: String(id),
    login,
    email,
    role: flags.role ?? "user",
    suspended: String(flags.suspended ?? false),
    dormant: String(flags.dormant ?? false),
  });
  return toServerAccount(row, hostname, protector);
}

/** A consumed-licenses usage from raw rows, through the real row schema. */
export function cloud(
  rows: Array<Record<string, unknown>>,
  seats: { consumed?: number; purchased?: number | null } = {},
): CloudUsage {
  const parsed = rows.map((row) => consumedLicenseRowSchema.parse(row));
  return {
    seatsConsumed: seats.consumed ?? rows.length,
    seatsPurchased: seats.purchased === undefined ? 1000 : seats.purchased,
    licenses: parsed.map((row, index) => toCloudLicense(row, index, protector)),
    verifiedEmailDomains: [...new Set(parsed.flatMap(verifiedDomainsOfRow))],
  };
}

/** A GraphQL ExternalIdentity node, through the real schema. */
export function identity(node: Record<string, unknown>): ExternalIdentity {
  return toExternalIdentity(externalIdentitySchema.parse(node), protector);
}

/** A cloud row with a GHEC account. */
export function ghecUser(login: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    github_com_login: login,
    github_com_user: true,
    enterprise_server_user: false,
    license_type: "enterprise",
    ...fields,
  };
}

/** A server-only cloud row, as GitHub keeps it from an earlier sync. */
export function serverOnlyRow(ids: string[], emails: string[]): Record<string, unknown> {
  return {
    github_com_login: "",
    github_com_user: false,
    enterprise_server_user: true,
    enterprise_server_user_ids: ids,
    enterprise_server_emails: emails,
  };
}
