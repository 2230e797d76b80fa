import { z } from "zod";
import type { EmailProtector } from "../../privacy/protect.js";
import type { CloudLicense } from "../../reconcile/model.js";
import { lenientBoolean } from "./lenient.js";

/** A boolean that GitHub sometimes writes as `""` (DOMAIN.md section 4, drift). */
const driftBoolean = z.unknown().transform((value, ctx) => {
  const parsed = lenientBoolean(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: `expected a boolean, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return parsed;
});
const text = z.string().nullish().transform((value) => (value ?? "").trim());
const textList = z.array(z.string()).nullish().transform((value) => value ?? []);
const serverUserId = z.string().transform((value, ctx) => {
  const colon = value.lastIndexOf(":");
  const id = Number(value.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(id)) {
    ctx.addIssue({ code: "custom", message: `expected "host:id", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return { hostname: value.slice(0, colon).trim().toLowerCase(), id };
});

/**
 * One `consumed-licenses` row. Loose: extra keys (cost centers, GHAS flags, the stray
 * `github_com_enterprise_role`) pass, enum case is ignored, and both names of the server email
 * list are read.
 */
export const consumedLicenseRowSchema = z.looseObject({
  /** GHEC login; `""` for server-only rows. */
  github_com_login: text,
  /** Display name, used only to spot look-alike accounts. */
  github_com_name: text,
  /** `host:id` of every GHES account GitHub linked to this person. */
  enterprise_server_user_ids: z.array(serverUserId).nullish().transform((value) => value ?? []),
  /** Has a GHEC account. */
  github_com_user: driftBoolean.optional().default(false),
  /** Has GHES accounts. */
  enterprise_server_user: driftBoolean.optional().default(false),
  /** Visual Studio subscriber with GitHub Enterprise. */
  visual_studio_subscription_user: driftBoolean.optional().default(false),
  /** `enterprise` or `visual_studio`, any case. */
  license_type: text.transform((value) => value.toLowerCase()),
  /** Verified-domain emails of the GHEC account. */
  github_com_verified_domain_emails: textList,
  /** SAML NameID of the GHEC account. */
  github_com_saml_name_id: text,
  /** GHES emails GitHub linked at earlier syncs. */
  enterprise_server_emails: textList,
  /** Older name of `enterprise_server_emails`. */
  enterprise_server_primary_emails: textList,
  /** Visual Studio subscriber email (UPN). */
  visual_studio_subscription_email: text,
});
export type ConsumedLicenseRow = z.output<typeof consumedLicenseRowSchema>;

/** Shared by every row without values: most rows have several empty lists. */
const NONE: string[] = Object.freeze([]) as unknown as string[];

function keys(values: string[], keyOf: (value: string) => string | null): string[] {
  if (values.length === 0) return NONE;
  const result = new Set<string>();
  for (const value of values) {
    const key = keyOf(value);
    if (key !== null) result.add(key);
  }
  return result.size === 0 ? NONE : [...result];
}

/** Few distinct hostnames across 300,000 rows: keep one string each. */
const hostnames = new Map<string, string>();
function internHost(hostname: string): string {
  let copy = hostnames.get(hostname);
  if (copy === undefined) {
    copy = Buffer.from(hostname).toString();
    if (hostnames.size < 10_000) hostnames.set(copy, copy);
  }
  return copy;
}

/** Turns a validated row into the engine's record; clear emails go no further than here. */
export function toCloudLicense(row: ConsumedLicenseRow, index: number, protector: EmailProtector): CloudLicense {
  const verified = row.github_com_verified_domain_emails;
  const handleSources = [row.github_com_login, row.github_com_name, row.github_com_saml_name_id, ...verified];
  return {
    index,
    login: row.github_com_login === "" ? null : row.github_com_login,
    serverUserIds: row.enterprise_server_user_ids.map((id) => ({ hostname: internHost(id.hostname), id: id.id })),
    githubComUser: row.github_com_user,
    enterpriseServerUser: row.enterprise_server_user,
    visualStudioUser: row.visual_studio_subscription_user || row.license_type === "visual_studio",
    samlNameId: protector.key(row.github_com_saml_name_id),
    verifiedDomainEmails: keys(verified, protector.key),
    serverEmails: keys([...row.enterprise_server_emails, ...row.enterprise_server_primary_emails], protector.key),
    visualStudioEmail: protector.key(row.visual_studio_subscription_email),
    handleKeys: keys(handleSources, protector.handleKey),
  };
}

/** Domains of verified-domain emails: these are verified domains of the enterprise by definition. */
export function verifiedDomainsOfRow(row: ConsumedLicenseRow): string[] {
  return row.github_com_verified_domain_emails.map((email) => email.trim().toLowerCase().split("@")[1] ?? "").filter(Boolean);
}
