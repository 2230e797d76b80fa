import { DATA_RESIDENCY_KEYS, licenseTypeKey, serverUserIdOf, type ConsumedLicenseRow } from "./cloud-row.js";
import { lenientBoolean } from "./lenient.js";

/** Returned by the checks below for a value the lean path leaves to zod. */
const LEAVE = Symbol("leave to zod");
type Leave = typeof LEAVE;

const RESIDENCY_KEYS = Object.keys(DATA_RESIDENCY_KEYS);
/** Shared by every row whose list is empty or absent; nothing downstream writes to a row's lists. */
const NONE: string[] = Object.freeze([]) as unknown as string[];

/** `text` of the schema: a string, a finite number (a numeric NameID), or null/absent. */
function text(value: unknown): string | Leave {
  if (typeof value === "string") return value.trim();
  if (value === null || value === undefined) return "";
  return typeof value === "number" && Number.isFinite(value) ? String(value).trim() : LEAVE;
}

/** `textList` of the schema: strings, finite numbers and nulls (dropped, as blank items are). */
function textList(value: unknown): string[] | Leave {
  if (value === null || value === undefined) return NONE;
  if (!Array.isArray(value)) return LEAVE;
  let result: string[] | undefined;
  for (const item of value as unknown[]) {
    if (item === null) continue;
    if (typeof item !== "string" && !(typeof item === "number" && Number.isFinite(item))) return LEAVE;
    const trimmed = String(item).trim();
    if (trimmed !== "") (result ??= []).push(trimmed);
  }
  return result ?? NONE;
}

/** `enterprise_server_user_ids` of the schema: `host:id` strings, null or absent. */
function serverUserIds(value: unknown): ConsumedLicenseRow["enterprise_server_user_ids"] | Leave {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return LEAVE;
  const result: ConsumedLicenseRow["enterprise_server_user_ids"] = [];
  for (const item of value as unknown[]) {
    const serverId = typeof item === "string" ? serverUserIdOf(item) : undefined;
    if (serverId === undefined) return LEAVE;
    result.push(serverId);
  }
  return result;
}

/**
 * The hot path of `consumedLicenseRowSchema`: the same output for the rows GitHub.com writes
 * (string, number or null texts, lenient booleans, `host:id` lists), built by hand without
 * zod's per-field machinery, or undefined for anything else (GHE.com key spelling, a value zod
 * would refuse), which the caller then gives to the schema, so
 * what is accepted, what it becomes and every error message stay the schema's. Extra keys are
 * not copied: nothing reads them. test/unit/collect/readers/lean-cloud-row.test.ts holds the two
 * to the same answers on valid and hostile rows.
 *
 * @example leanConsumedLicenseRow(JSON.parse(rowText)) ?? consumedLicenseRowSchema.parse(JSON.parse(rowText))
 */
export function leanConsumedLicenseRow(value: unknown): ConsumedLicenseRow | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const row = value as Record<string, unknown>;
  if (!("github_com_login" in row)) return undefined;
  for (const key of RESIDENCY_KEYS) if (key in row) return undefined;
  const login = text(row.github_com_login);
  const name = text(row.github_com_name);
  const ids = serverUserIds(row.enterprise_server_user_ids);
  const githubComUser = lenientBoolean(row.github_com_user);
  const serverUser = lenientBoolean(row.enterprise_server_user);
  const visualStudioUser = lenientBoolean(row.visual_studio_subscription_user);
  const licenseType = text(row.license_type);
  const verified = textList(row.github_com_verified_domain_emails);
  const nameId = text(row.github_com_saml_name_id);
  const serverEmails = textList(row.enterprise_server_emails);
  const primaryEmails = textList(row.enterprise_server_primary_emails);
  const visualStudioEmail = text(row.visual_studio_subscription_email);
  if (
    login === LEAVE ||
    name === LEAVE ||
    ids === LEAVE ||
    githubComUser === undefined ||
    serverUser === undefined ||
    visualStudioUser === undefined ||
    licenseType === LEAVE ||
    verified === LEAVE ||
    nameId === LEAVE ||
    serverEmails === LEAVE ||
    primaryEmails === LEAVE ||
    visualStudioEmail === LEAVE
  )
    return undefined;
  return {
    github_com_login: login,
    github_com_name: name,
    enterprise_server_user_ids: ids,
    github_com_user: githubComUser,
    enterprise_server_user: serverUser,
    visual_studio_subscription_user: visualStudioUser,
    license_type: licenseTypeKey(licenseType),
    github_com_verified_domain_emails: verified,
    github_com_saml_name_id: nameId,
    enterprise_server_emails: serverEmails,
    enterprise_server_primary_emails: primaryEmails,
    visual_studio_subscription_email: visualStudioEmail,
  };
}
