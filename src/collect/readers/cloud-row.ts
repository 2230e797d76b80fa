import { z } from "zod";
import type { EmailProtector } from "../../privacy/index.js";
import type { CloudLicense } from "../../shared/index.js";
import { lenientBoolean } from "./lenient.js";

/** A boolean that GitHub sometimes writes as `""` (drift seen in the live API). Never quotes the value: it may be personal. */
const driftBoolean = z.unknown().transform((value, ctx) => {
  const parsed = lenientBoolean(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: "expected a boolean (true/false, yes/no, 1/0 or empty)" });
    return z.NEVER;
  }
  return parsed;
});
/** Text as the live API writes it: `null` for none, and a NameID may come as a number. */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? "" : String(value).trim()));
/** A list of text; the billing CSV's cells are already split by the CSV reader. */
const textList = z
  .array(z.union([z.string(), z.number()]).nullable())
  .nullish()
  .transform((value) =>
    (value ?? []).flatMap((item) => (item === null || String(item).trim() === "" ? [] : [String(item).trim()])),
  );
/**
 * One `host:id` of `enterprise_server_user_ids`, or undefined when it is not one. The id must be
 * an integer a double holds exactly: a longer one would be rounded into another account's id.
 * Shared by the schema and the lean check (lean-cloud-row.ts).
 *
 * @example serverUserIdOf("GHES-A.example:42") // { hostname: "ghes-a.example", id: 42 }
 */
export function serverUserIdOf(value: string): { hostname: string; id: number } | undefined {
  const colon = value.lastIndexOf(":");
  const id = Number(value.slice(colon + 1));
  if (colon <= 0 || !Number.isSafeInteger(id)) return undefined;
  return { hostname: value.slice(0, colon).trim().toLowerCase(), id };
}
const serverUserId = z.string().transform((value, ctx) => {
  const serverId = serverUserIdOf(value);
  if (serverId === undefined) {
    ctx.addIssue({ code: "custom", message: 'expected "host:id" (hostname, colon, numeric user id)' });
    return z.NEVER;
  }
  return serverId;
});

/**
 * GHE.com (data residency) spells the cloud fields `github_*` instead of `github_com_*`. Both are
 * read; the `github_com_*` spelling wins when a row has both.
 */
export const DATA_RESIDENCY_KEYS: Readonly<Record<string, string>> = Object.freeze({
  github_login: "github_com_login",
  github_name: "github_com_name",
  github_user: "github_com_user",
  github_profile: "github_com_profile",
  github_member_roles: "github_com_member_roles",
  github_enterprise_roles: "github_com_enterprise_roles",
  github_verified_domain_emails: "github_com_verified_domain_emails",
  github_saml_name_id: "github_com_saml_name_id",
  github_orgs_with_pending_invites: "github_com_orgs_with_pending_invites",
  github_two_factor_auth: "github_com_two_factor_auth",
});

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/**
 * Renames GHE.com keys to GitHub.com's and checks the login key is there: a row without either
 * spelling is refused (naming the key) rather than read as a server-only row, which would count
 * a cloud user twice. Where both spellings are present, the one with a value wins (a CSV with
 * both columns, or an export tool that writes both, fills only one), `github_com_*` when both do.
 */
function canonicalKeys(value: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const row = value as Record<string, unknown>;
  if (!("github_com_login" in row) && !("github_login" in row)) {
    ctx.addIssue({
      code: "custom",
      message:
        "has neither `github_com_login` nor `github_login` (GHE.com); a server-only row has the key with an empty value",
      path: ["github_com_login"],
    });
    return z.NEVER;
  }
  if (!Object.keys(DATA_RESIDENCY_KEYS).some((residency) => residency in row)) return row;
  const renamed: Record<string, unknown> = { ...row };
  for (const [residency, dotCom] of Object.entries(DATA_RESIDENCY_KEYS)) {
    if (residency in row && isBlank(row[dotCom]) && !isBlank(row[residency])) renamed[dotCom] = row[residency];
    else if (residency in row && !(dotCom in row)) renamed[dotCom] = row[residency];
  }
  return renamed;
}

/** The NameID keys, in both spellings: a numeric NameID is read as its digits (see `exactNameIds`). */
export const NAME_ID_KEYS: ReadonlySet<string> = new Set(["github_com_saml_name_id", "github_saml_name_id"]);
const LONG_INTEGER = /^-?\d{16,}$/;
const LONG_NAME_ID = /("github(?:_com)?_saml_name_id"\s*:\s*)(-?\d{16,})(?=\s*[,}])/g;

/**
 * JSON text of a row (or of one field's value, with its key) parsed so that a numeric SAML NameID
 * too long for a double (more than 15 digits: IdPs with 64-bit or 21-digit ids) keeps every digit
 * as text: `JSON.parse` would round it, so two people could share a NameID and none would match
 * the identity's. The key pattern cannot match inside a JSON string, whose quotes are escaped.
 * Only a row's own NameID is looked at (a NameID key nested in another field is read as
 * `JSON.parse` reads it: nothing reads those).
 *
 * @example exactNameIds('{"github_com_saml_name_id":12345678901234567890123}') // { github_com_saml_name_id: "12345678901234567890123" }
 */
export function exactNameIds(text: string, key?: string): unknown {
  if (key !== undefined)
    return NAME_ID_KEYS.has(key) && LONG_INTEGER.test(text.trim()) ? text.trim() : JSON.parse(text);
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null) return value;
  // A row (it has a NameID key), or a page of them (`users`, as the collectors read the API): a
  // double this large came from 16 or more digits (JSON has no leading zeros), and only then is
  // the text parsed again with the digits quoted, so pages and rows without a numeric NameID, all
  // but a few, are parsed once and never searched. Anything else is searched as it always was.
  const object = value as Record<string, unknown>;
  const isRow = "github_com_saml_name_id" in object || "github_saml_name_id" in object;
  const rewrite = isRow
    ? hasLongNameId(object)
    : Array.isArray(object.users)
      ? object.users.some(hasLongNameId)
      : text.includes("saml_name_id");
  return rewrite ? JSON.parse(text.replace(LONG_NAME_ID, '$1"$2"')) : value;
}

const isLong = (value: unknown) => typeof value === "number" && Math.abs(value) >= 1e15;
/** Whether a parsed row's NameID (either spelling) is a number JSON.parse may have rounded. */
const hasLongNameId = (row: unknown) =>
  typeof row === "object" &&
  row !== null &&
  (isLong((row as Record<string, unknown>).github_com_saml_name_id) ||
    isLong((row as Record<string, unknown>).github_saml_name_id));

/** `license_type` without case or separators: `Visual Studio subscription`, `visual_studio` -> `visualstudio...`. */
export function licenseTypeKey(value: string): string {
  let key = licenseTypeKeys.get(value);
  if (key === undefined) {
    key = value.toLowerCase().replace(/[^a-z0-9]/g, "");
    // A few spellings across a whole list: the cache stays tiny unless the input is hostile.
    if (licenseTypeKeys.size < 100 && value.length <= 64) licenseTypeKeys.set(value, key);
  }
  return key;
}
const licenseTypeKeys = new Map<string, string>();

/**
 * One `consumed-licenses` row, in either key spelling (GitHub.com or GHE.com). Loose: extra keys
 * (cost centers, GHAS flags, the stray `github_com_enterprise_role`) pass, values are read as the
 * live API writes them (`null` text, `""` booleans, a numeric NameID), and both names of the
 * server email list are read.
 */
export const consumedLicenseRowSchema = z.preprocess(
  canonicalKeys,
  z.looseObject({
    /** GHEC login; `""` for server-only rows. */
    github_com_login: text,
    /** Display name, used only to spot look-alike accounts. */
    github_com_name: text,
    /** `host:id` of every GHES account GitHub linked to this person. */
    enterprise_server_user_ids: z
      .array(serverUserId)
      .nullish()
      .transform((value) => value ?? []),
    /** Has a GHEC account. */
    github_com_user: driftBoolean.optional().default(false),
    /** Has GHES accounts. */
    enterprise_server_user: driftBoolean.optional().default(false),
    /** Visual Studio subscriber with GitHub Enterprise; `""` or null when GitHub leaves it out. */
    visual_studio_subscription_user: driftBoolean.optional().default(false),
    /** `Enterprise` or `Visual Studio subscription` (any case and separators), reduced by `licenseTypeKey`. */
    license_type: text.transform(licenseTypeKey),
    /** Verified-domain emails of the GHEC account. */
    github_com_verified_domain_emails: textList,
    /** SAML NameID of the GHEC account (text, or a number for numeric IdP ids). */
    github_com_saml_name_id: text,
    /** GHES emails GitHub linked at earlier syncs. */
    enterprise_server_emails: textList,
    /** Older name of `enterprise_server_emails`. */
    enterprise_server_primary_emails: textList,
    /** Visual Studio subscriber email (UPN). */
    visual_studio_subscription_email: text,
  }),
);
export type ConsumedLicenseRow = z.output<typeof consumedLicenseRowSchema>;

/** Shared by every row without values: most rows have several empty lists (rows read back from JSON too, `RepeatedValues`). */
export const NONE: string[] = Object.freeze([]) as unknown as string[];
/** Shared by every row without GHES accounts, as `NONE`. */
export const NO_SERVER_IDS: CloudLicense["serverUserIds"] = Object.freeze(
  [],
) as unknown as CloudLicense["serverUserIds"];

/**
 * Gathers the distinct keys of one list of a row, in first-seen order, then hands them out as an
 * array of exactly their number. A list grown by `push` would keep room for 17 (V8 grows a
 * one-element array by 16): 300,000 to 840,000 rows each hold three lists, so building them in
 * one scratch array and copying out the used part saved about 100 bytes a row. The lists are
 * short (a few emails a row), so a scan dedupes them without a Set.
 */
class KeyList {
  private readonly scratch: string[] = Array.from({ length: 16 }, () => "");
  private count = 0;

  /** Adds `key` unless it is null or gathered already. */
  add(key: string | null): void {
    if (key === null) return;
    for (let i = 0; i < this.count; i++) if (this.scratch[i] === key) return;
    if (this.count < this.scratch.length) this.scratch[this.count] = key;
    else this.scratch.push(key);
    this.count++;
  }

  /** Adds the key of each of `values`. */
  addAll(values: readonly string[], keyOf: (value: string) => string | null): void {
    for (const value of values) this.add(keyOf(value));
  }

  /** Forgets what was gathered (a row whose keying threw must not leave keys for the next). */
  clear(): void {
    this.count = 0;
  }

  /** The keys gathered (the shared empty list when none), and a fresh start. */
  take(): string[] {
    if (this.count === 0) return NONE;
    const list = this.scratch.slice(0, this.count);
    this.count = 0;
    return list;
  }
}
const gathered = new KeyList();

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
  // Each list whole before the next (one scratch list), in the order keying [login, name, NameID,
  // ...verified] and [...server emails, ...primary emails] would give.
  gathered.clear();
  gathered.add(protector.handleKey(row.github_com_login));
  gathered.add(protector.handleKey(row.github_com_name));
  gathered.add(protector.handleKey(row.github_com_saml_name_id));
  gathered.addAll(verified, protector.handleKey);
  const handleKeys = gathered.take();
  gathered.addAll(row.enterprise_server_emails, protector.key);
  gathered.addAll(row.enterprise_server_primary_emails, protector.key);
  const serverEmails = gathered.take();
  const samlNameId = protector.key(row.github_com_saml_name_id);
  gathered.addAll(verified, protector.key);
  const verifiedDomainEmails = gathered.take();
  return {
    index,
    login: row.github_com_login === "" ? null : row.github_com_login,
    serverUserIds:
      row.enterprise_server_user_ids.length === 0
        ? NO_SERVER_IDS
        : row.enterprise_server_user_ids.map((id) => ({ hostname: internHost(id.hostname), id: id.id })),
    githubComUser: row.github_com_user,
    enterpriseServerUser: row.enterprise_server_user,
    visualStudioUser: row.visual_studio_subscription_user || row.license_type.startsWith("visualstudio"),
    samlNameId,
    verifiedDomainEmails,
    serverEmails,
    visualStudioEmail: protector.key(row.visual_studio_subscription_email),
    handleKeys,
  };
}

/** Domains of verified-domain emails: these are verified domains of the enterprise by definition. */
export function verifiedDomainsOfRow(row: ConsumedLicenseRow): string[] {
  const emails = row.github_com_verified_domain_emails;
  if (emails.length === 0) return NONE;
  const domains: string[] = [];
  for (const email of emails) {
    // The text between the first "@" and the next one, as split("@")[1] gives, without the array.
    const normalized = email.trim().toLowerCase();
    const at = normalized.indexOf("@");
    if (at < 0) continue;
    const next = normalized.indexOf("@", at + 1);
    const domain = normalized.slice(at + 1, next < 0 ? normalized.length : next);
    if (domain !== "") domains.push(domain);
  }
  return domains;
}
