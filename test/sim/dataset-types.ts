/**
 * Shapes shared by the dataset generator, the file writer and the HTTP simulator. Row types are
 * GitHub's wire shapes (snake_case, strings where a CSV has strings), not the engine's model.
 */

/**
 * Every person of the enterprise falls in exactly one category. `serverOnlyUnsynced` must stay
 * last: persons are laid out by category, and the ones that have a consumed-licenses row must
 * form a prefix so row k maps to a person in O(1).
 */
export const CATEGORIES = [
  "cloudOnly",
  "matchedSamlIdentity",
  "matchedSamlNameId",
  "matchedVerifiedDomainEmail",
  "matchedLinkedServerEmail",
  "matchedVisualStudio",
  "serverOnlyFresh",
  "staleOtherHost",
  "doubleCounted",
  "serverOnlyUnsynced",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories whose persons hold GHES accounts. */
export const SERVER_CATEGORIES: ReadonlySet<Category> = new Set<Category>([
  "matchedSamlIdentity",
  "matchedSamlNameId",
  "matchedVerifiedDomainEmail",
  "matchedLinkedServerEmail",
  "matchedVisualStudio",
  "serverOnlyFresh",
  "doubleCounted",
  "serverOnlyUnsynced",
]);

/** The match rule (docs/matching-rule.md, step 4) each matched category is built to hit. */
export const RULE_OF_CATEGORY = {
  matchedSamlIdentity: "samlIdentity",
  matchedSamlNameId: "samlNameId",
  matchedVerifiedDomainEmail: "verifiedDomainEmail",
  matchedLinkedServerEmail: "linkedServerEmail",
  matchedVisualStudio: "visualStudioEmail",
} as const;
export type MatchRuleName = (typeof RULE_OF_CATEGORY)[keyof typeof RULE_OF_CATEGORY];
export const MATCH_RULE_NAMES: readonly MatchRuleName[] = Object.values(RULE_OF_CATEGORY);

/** The host GitHub still lists server-only rows for, but that no run collects any more. */
export const RETIRED_HOST = "ghes-old.corp.example";

/** `all_users.csv` columns, in GHES's documented order (GitHub's API docs). */
export const ALL_USERS_COLUMNS = [
  "created_at",
  "id",
  "login",
  "email",
  "role",
  "suspended?",
  "last_logged_ip",
  "repos",
  "ssh_keys",
  "org_memberships",
  "dormant?",
  "last_active",
  "raw_login",
  "2fa_enabled?",
] as const;
export type AllUsersColumn = (typeof ALL_USERS_COLUMNS)[number];
/** One `all_users.csv` row, values exactly as written (booleans in mixed styles). */
export type AllUsersRow = Record<AllUsersColumn, string>;

/** One `consumed-licenses` user row; drifted rows add or rename keys (hence the index type). */
export interface ConsumedLicenseRow {
  github_com_login: string;
  github_com_name: string | null;
  enterprise_server_user_ids: string[];
  github_com_user: boolean | "";
  enterprise_server_user: boolean | null;
  visual_studio_subscription_user: boolean | "";
  license_type: string;
  github_com_profile: string | null;
  github_com_member_roles: string[];
  github_com_enterprise_roles: string[];
  github_com_verified_domain_emails: string[];
  github_com_saml_name_id: string | null;
  github_com_orgs_with_pending_invites: string[];
  github_com_two_factor_auth: boolean | "" | null;
  enterprise_server_emails?: string[];
  enterprise_server_primary_emails?: string[];
  visual_studio_license_status: string | null;
  visual_studio_subscription_email: string | null;
  total_user_accounts: number;
  [drift: string]: unknown;
}

/** GraphQL `ExternalIdentity` node as the collectors query it. */
export interface ExternalIdentityNode {
  guid: string;
  samlIdentity: {
    nameId: string | null;
    username: string | null;
    emails: Array<{ value: string }>;
    attributes: Array<{ name: string; value: string }>;
  } | null;
  scimIdentity: { username: string | null; emails: Array<{ value: string }> } | null;
  user: { login: string } | null;
}

/** GHES `GET /enterprise/settings/license`. */
export interface GhesLicense {
  seats: number | "unlimited";
  seats_used: number;
  seats_available: number | "unlimited";
  kind: string;
  days_until_expiration: number;
  expire_at: string;
}

/** GHES `GET /enterprise/stats/users`. */
export interface GhesUserStats {
  total_users: number;
  admin_users: number;
  suspended_users: number;
}

/** GHEC `GET /enterprises/{enterprise}/license-sync-status`. */
export interface LicenseSyncStatus {
  server_instances: Array<{
    server_id: string;
    hostname: string;
    last_sync: { date: string; status: string; error: string };
  }>;
}

/** Totals the project's rule (docs/matching-rule.md) must reach on the dataset, known by construction. */
export interface Expected {
  uniqueUsers: number;
  cloudUsers: number;
  serverOnlyUsers: number;
  replacedCloudRows: number;
  totalSeatsConsumed: number;
  seatsPurchased: number;
  matchedBy: Record<MatchRuleName, number>;
  perHost: Record<string, { accounts: number; billableAccounts: number }>;
}
