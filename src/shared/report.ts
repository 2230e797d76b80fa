/**
 * The unique-user engine's own vocabulary. Everything here is plain data: readers and collectors
 * build it, the engine (`reconcile.ts`) consumes it, publishers render what comes out.
 *
 * Emails never appear in clear here unless an operator asked for them (`email`). The engine
 * compares `emailKey`s: the normalized email passed through one keying function (an HMAC in the
 * app, see src/privacy), the same function for every source of one run.
 */

/** The five ways a server person can merge with a cloud row, in the order they are tried (docs/matching-rule.md, step 4). */
export const MATCH_RULES = [
  "samlIdentity",
  "samlNameId",
  "verifiedDomainEmail",
  "linkedServerEmail",
  "visualStudioEmail",
] as const;
export type MatchRule = (typeof MATCH_RULES)[number];

/** A protected email: what the engine compares and what people may see. */
export interface ProtectedEmail {
  /** Keyed normalized address; equal keys mean equal addresses. */
  key: string;
  /** Display form, e.g. `a***@corp.example`. */
  masked: string;
  /** Lower-cased domain part, e.g. `corp.example` (already visible in `masked`). */
  domain: string;
  /** The normalized address in clear; only when the operator asked (`report --show-emails`). */
  email?: string;
}

/** One account of one GHES instance, from `all_users.csv` or a usage file. */
export interface ServerAccount {
  /** Instance hostname as GitHub writes it in `enterprise_server_user_ids`. */
  hostname: string;
  /** GHES user id. */
  id: number;
  /** Keyed tokens of the login and the email's local part, to spot look-alike cloud accounts. */
  handleKeys: string[];
  /** The primary email, or null when the account has none. */
  primaryEmail: ProtectedEmail | null;
  suspended: boolean;
  dormant: boolean;
  siteAdmin: boolean;
  /** False for accounts that never consume a seat: `ghost`, `scim-admin`, organizations. */
  licensable: boolean;
}

/** One `consumed-licenses` row, normalized (drift absorbed by the reader). */
export interface CloudLicense {
  /** Position in GitHub's list; ties between rows are broken by it. */
  index: number;
  /** `github_com_login`, null when empty (server-only rows). */
  login: string | null;
  /** `enterprise_server_user_ids`, split into host and id. */
  serverUserIds: Array<{ hostname: string; id: number }>;
  githubComUser: boolean;
  enterpriseServerUser: boolean;
  visualStudioUser: boolean;
  /** Keyed `github_com_saml_name_id`. */
  samlNameId: string | null;
  /** Keyed `github_com_verified_domain_emails`. */
  verifiedDomainEmails: string[];
  /** Keyed `enterprise_server_emails` (or the drifted `enterprise_server_primary_emails`). */
  serverEmails: string[];
  /** Keyed `visual_studio_subscription_email`. */
  visualStudioEmail: string | null;
  /** Keyed tokens of login, name and email local parts, to spot look-alike server accounts. */
  handleKeys: string[];
}

/** The `consumed-licenses` response as a whole. */
export interface CloudUsage {
  seatsConsumed: number;
  /** Purchased seats; null when GitHub did not say. */
  seatsPurchased: number | null;
  licenses: CloudLicense[];
  /** Domains of every `github_com_verified_domain_emails` entry: verified domains by construction. */
  verifiedEmailDomains: string[];
  /**
   * Whether the list is whole: `checked` (as many distinct rows as `total_seats_consumed`),
   * `partial` (fewer; only when the operator allowed it), `unchecked` (the input carries no total,
   * e.g. the billing CSV). Absent: `checked`.
   */
  completeness?: CloudCompleteness;
}

/** See `CloudUsage.completeness`. */
export type CloudCompleteness = "checked" | "partial" | "unchecked";

/** One SAML/SCIM external identity (GraphQL `ExternalIdentity`), reduced to what matching needs. */
export interface ExternalIdentity {
  /** The GHEC login the identity is linked to; null when unlinked. */
  login: string | null;
  /** Keyed NameID, username, emails, name/emailaddress claims, SCIM username and emails. */
  emailKeys: string[];
  /** Keyed tokens of the same values' local parts. */
  handleKeys: string[];
}

/** Everything one reconciliation needs. */
export interface ReconcileInput {
  /** Hostnames whose accounts were collected in this run (even when they had no accounts). */
  collectedHosts: string[];
  serverAccounts: Iterable<ServerAccount>;
  cloud: CloudUsage;
  identities?: ExternalIdentity[];
  /** Verified domains of the enterprise; derived from the cloud rows' verified emails when absent. */
  verifiedDomains?: string[];
}

/** Why a server person did not merge with a cloud row, most likely first. */
export const UNMERGED_REASONS = [
  "identityEmailDiffers",
  "linkedAccountEmailChanged",
  "similarCloudAccount",
  "domainNotVerified",
  "noEmail",
  "noCloudAccount",
] as const;
export type UnmergedReason = (typeof UNMERGED_REASONS)[number];

/**
 * A person found only on servers, with the engine's diagnosis as codes and figures: publish
 * writes the fix an admin can apply (src/publish/render/diagnosis-fix.ts).
 */
export interface ServerOnlyPerson {
  maskedEmail: string | null;
  /** Clear email, only when the operator asked for it. */
  email?: string;
  hosts: string[];
  /** `host:id` of every account of this person. */
  accounts: string[];
  reason: UnmergedReason;
  /** Cloud login the person most likely is, when one resembles it. */
  likelyCloudLogin: string | null;
  /** 0..100, how likely this person is counted twice; sorts the list. */
  doubleCountLikelihood: number;
  /** The email's domain when the fix is to verify it (`similarCloudAccount`, `domainNotVerified`). */
  unverifiedDomain?: string;
}

/** A server person that merged, for per-person exports. */
export interface MatchedPerson {
  maskedEmail: string | null;
  email?: string;
  hosts: string[];
  accounts: string[];
  matchedBy: MatchRule;
  cloudLogin: string | null;
  /** `CloudLicense.index` of the row it merged with. */
  cloudIndex: number;
}

/** A kept cloud row: one licensed person in GitHub's list that this run counts. */
export interface KeptCloudRow {
  index: number;
  login: string | null;
  githubComUser: boolean;
  /** Hosts GitHub lists for it (`enterprise_server_user_ids`). */
  hosts: string[];
}

export type DivergenceKind =
  | "over-consumed"
  | "near-limit"
  | "stale-sync"
  | "server-count-mismatch"
  | "unique-count-mismatch"
  | "license-expiring";

/**
 * One divergence as codes and figures; publish writes its sentences (src/publish/divergences).
 * Codes are `kind`, `severity` and, where a kind has several causes, `figures.reason`
 * (`stale-sync`: `missing`, `never`, `stale`, `failed`; `license-expiring`: `expiring`, `seats`;
 * joined by `+`).
 */
export interface Divergence {
  kind: DivergenceKind;
  severity: "critical" | "warning" | "notice";
  /** Figures behind the divergence, integers or short strings; compared between runs. */
  figures: Record<string, number | string>;
  /**
   * What the sentence needs besides the figures, never compared between runs: the configured
   * threshold crossed, and ages that move every day (`ageDays`, `daysLeft`).
   */
  context?: Record<string, number | null>;
  /** Optional subject (e.g. a hostname) when a kind can occur once per instance. */
  subject?: string;
}

export interface ServerSummary {
  hostname: string;
  accounts: number;
  billableAccounts: number;
  persons: number;
  matchedToCloud: number;
  serverOnly: number;
}

export interface Totals {
  seatsPurchased: number | null;
  seatsConsumedReported: number;
  cloudUsers: number;
  serverOnlyUsers: number;
  uniqueUsers: number;
  matchedBy: Record<MatchRule, number>;
  /** Stale server-only rows of GitHub's list replaced by fresh server data. */
  replacedCloudRows: number;
  /** True when GitHub's list held fewer rows than `seatsConsumedReported`: every count here is low. */
  partial?: boolean;
  /** False when the cloud input carried no total to check the list against (billing CSV, bare rows). */
  completenessChecked?: boolean;
  /** Distinct rows of GitHub's list that this run read (before stale rows were replaced). */
  cloudRowsRead?: number;
}

/** The engine's answer; its JSON form is the Report JSON contract (docs/architecture.md). */
export interface Report {
  totals: Totals;
  servers: ServerSummary[];
  people: ServerOnlyPerson[];
  matched: MatchedPerson[];
  /** Every kept cloud row, in GitHub's order. */
  cloudRows: KeptCloudRow[];
  reasons: Record<UnmergedReason, number>;
  divergences: Divergence[];
}
