import type { ResolvedOptions } from "./dataset-options.js";
import { RETIRED_HOST, type ConsumedLicenseRow } from "./dataset-types.js";
import { emailVariant, type Person } from "./people.js";
import { rngFor, type Rng } from "./prng.js";

const STREAM_ROW = 2;

/** Hostnames a stale server-only row names: the person's own accounts, or the retired host. */
export function staleRowHosts(person: Person): string[] {
  if (person.category === "staleOtherHost") return [RETIRED_HOST];
  if (person.category === "serverOnlyFresh") return person.accounts.map((a) => a.host);
  return [];
}

function serverIds(person: Person): string[] {
  // One id per person: an id names one account, and two rows naming it would be one person.
  if (person.category === "staleOtherHost") return [`${RETIRED_HOST}:${40 + person.index}`];
  return person.accounts.map((a) => `${a.host}:${a.id}`);
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** A row with every documented key, in the order GitHub's example has them. */
function baseRow(person: Person, options: ResolvedOptions, rng: Rng): ConsumedLicenseRow {
  const login = person.cloudLogin;
  const org = `${options.enterprise}-${["eng", "ops", "data", "web"][person.index % 4] ?? "eng"}`;
  return {
    github_com_login: login,
    github_com_name: login ? `${capitalize(person.firstName)} ${capitalize(person.lastName)}` : "",
    enterprise_server_user_ids: [],
    github_com_user: login !== "",
    enterprise_server_user: rng.chance(0.2) ? null : false,
    visual_studio_subscription_user: false,
    license_type: "enterprise",
    github_com_profile: login ? `https://github.com/${login}` : "",
    github_com_member_roles: login ? [`${org}:${rng.chance(0.05) ? "Owner" : "Member"}`] : [],
    github_com_enterprise_roles: [],
    github_com_verified_domain_emails: [],
    github_com_saml_name_id: "",
    github_com_orgs_with_pending_invites: [],
    github_com_two_factor_auth: login ? rng.chance(0.8) : null,
    enterprise_server_emails: [],
    visual_studio_license_status: "",
    visual_studio_subscription_email: "",
    total_user_accounts: 1,
  };
}

/** The person's own non-matching cloud address: unique, and on no GHES account. */
function otherEmail(person: Person, options: ResolvedOptions): string {
  return `${person.cloudLogin || `u${person.index}`}.cloud@${options.domain}`;
}

/** Fills the fields that make the category what it is (see the brief of each category). */
function shapeByCategory(
  row: ConsumedLicenseRow,
  person: Person,
  options: ResolvedOptions,
  rng: Rng,
  hasIdentity: boolean,
): void {
  const e = person.email;
  switch (person.category) {
    case "cloudOnly":
      if (rng.chance(0.6)) row.github_com_verified_domain_emails = [e];
      if (hasIdentity) row.github_com_saml_name_id = e;
      return;
    case "matchedSamlIdentity":
      // Only the identity carries the server email; the row itself must not match.
      row.github_com_saml_name_id = rng.chance(0.5) ? person.cloudLogin : "";
      if (rng.chance(0.5)) row.github_com_verified_domain_emails = [otherEmail(person, options)];
      return;
    case "matchedSamlNameId":
      row.github_com_saml_name_id = rng.chance(0.7) ? e : emailVariant(e, rng).trim();
      return;
    case "matchedVerifiedDomainEmail":
      row.github_com_verified_domain_emails = rng.chance(0.5)
        ? [e]
        : [otherEmail(person, options), emailVariant(e, rng).trim()];
      return;
    case "matchedLinkedServerEmail":
      row.enterprise_server_user = true;
      row.enterprise_server_user_ids = serverIds(person);
      row.enterprise_server_emails = [e];
      row.total_user_accounts = 1 + person.accounts.length;
      return;
    case "matchedVisualStudio":
      row.visual_studio_subscription_user = true;
      row.visual_studio_subscription_email = rng.chance(0.7) ? e : emailVariant(e, rng).trim();
      row.visual_studio_license_status = "active";
      row.license_type = "visual_studio";
      return;
    case "serverOnlyFresh":
    case "staleOtherHost":
      row.enterprise_server_user = true;
      row.enterprise_server_user_ids = serverIds(person);
      row.enterprise_server_emails = [e];
      row.total_user_accounts = row.enterprise_server_user_ids.length;
      return;
    case "doubleCounted":
      // Same human, verified on another address: nothing can merge it (only an admin can fix it).
      row.github_com_verified_domain_emails = [
        `${person.firstName}_${person.lastName}${person.index}@${options.domain}`,
      ];
      return;
    case "serverOnlyUnsynced":
      return;
  }
}

/** Drift seen in the wild (GitHub's API docs); none of it may change a count. */
function applyDrift(row: ConsumedLicenseRow, rng: Rng): ConsumedLicenseRow {
  // GitHub's own example writes "" for a server-only row's two-factor flag and role.
  if (row.github_com_two_factor_auth === null) {
    row.github_com_two_factor_auth = "";
    row.github_com_enterprise_role = "";
  }
  if (rng.chance(0.1) && row.github_com_user) row.github_com_two_factor_auth = "";
  if (rng.chance(0.05) && row.visual_studio_subscription_user === false) row.visual_studio_subscription_user = "";
  if (rng.chance(0.05)) row.github_com_enterprise_role = "";
  const caseRoll = rng.next();
  if (caseRoll < 0.3) row.license_type = row.license_type.charAt(0).toUpperCase() + row.license_type.slice(1);
  else if (caseRoll < 0.4) row.license_type = row.license_type.toUpperCase();
  let out = row;
  if (rng.chance(0.15)) {
    // Rename in place so the key keeps its position, as GitHub's older example shows it.
    out = Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k === "enterprise_server_emails" ? "enterprise_server_primary_emails" : k,
        v,
      ]),
    ) as ConsumedLicenseRow;
  }
  if (rng.chance(0.1)) {
    out.cost_center = `CC-${100 + rng.int(900)}`;
    out.github_advanced_security_committer = rng.chance(0.3);
  }
  return out;
}

/** The person's consumed-licenses row, or null for persons GitHub has never heard of. */
export function cloudRowFor(person: Person, options: ResolvedOptions, hasIdentity: boolean): ConsumedLicenseRow | null {
  if (person.category === "serverOnlyUnsynced") return null;
  const rng = rngFor(options.seed, person.index, STREAM_ROW);
  const row = baseRow(person, options, rng);
  shapeByCategory(row, person, options, rng, hasIdentity);
  return options.drift ? applyDrift(row, rng) : row;
}
