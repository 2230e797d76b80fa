import type { ServerOnlyPerson, UnmergedReason } from "../../shared/index.js";

/** What a fix sentence reads of a server-only person: the engine's codes and figures. */
export type DiagnosisFacts = Pick<ServerOnlyPerson, "reason" | "likelyCloudLogin" | "unverifiedDomain">;

const FIXES: Record<UnmergedReason, (login: string | null, domain: string | undefined) => string> = {
  linkedAccountEmailChanged: (login) =>
    `GitHub linked this account to ${login} at an earlier sync, but its primary email no longer matches any of ${login}'s emails. Set the GHES primary email to an address verified on ${login}, or have ${login} add and verify this address, then sync.`,
  noEmail: (login) =>
    `The account has no primary email, so it can never merge${login ? ` (it looks like ${login})` : ""}. Set a primary email on GHES that is verified on the person's GitHub.com account.`,
  identityEmailDiffers: (login) =>
    `${login}'s SAML/SCIM identity resembles this account but carries a different email. Make the IdP's NameID or email attribute equal the GHES primary email (or change the GHES primary email to the IdP's), then sync.`,
  similarCloudAccount: (login, domain) =>
    domain
      ? `${login} looks like the same person but has no verified email equal to this one, and ${domain} is not a verified domain. Verify ${domain} for the enterprise and have ${login} add and verify this address on GitHub.com.`
      : `${login} looks like the same person but has no verified email equal to this one. Have ${login} add and verify this address on GitHub.com, or set the GHES primary email to one ${login} has verified.`,
  domainNotVerified: (_, domain) =>
    `${domain} is not a verified domain of the enterprise, so GitHub cannot see a matching cloud email even if one exists. Verify ${domain} (Enterprise settings > Verified & approved domains).`,
  noCloudAccount: () =>
    "No cloud account resembles this person: a genuine server-only user consuming one seat. Nothing to fix unless they also use GitHub.com.",
};

/**
 * What an admin can do about one server-only person, from the engine's diagnosis
 * (docs/matching-rule.md, step 6). Plain text with logins and domains as they are: each medium
 * escapes it where it renders it (`cell` in Markdown tables, `printableCell` in CSV).
 *
 * @example diagnosisFix({ reason: "domainNotVerified", likelyCloudLogin: null, unverifiedDomain: "contractor.example" })
 *   // "contractor.example is not a verified domain of the enterprise, ..."
 */
export function diagnosisFix(person: DiagnosisFacts): string {
  return FIXES[person.reason](person.likelyCloudLogin, person.unverifiedDomain);
}
