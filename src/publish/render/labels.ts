import type { MatchRule, UnmergedReason } from "../../shared/index.js";

/** How each matching rule reads in a report. */
export const RULE_LABELS: Record<MatchRule, string> = {
  samlIdentity: "SAML/SCIM identity",
  samlNameId: "SAML NameID",
  verifiedDomainEmail: "Verified-domain email",
  linkedServerEmail: "Email GitHub linked at an earlier sync",
  visualStudioEmail: "Visual Studio subscription email",
};

/** How each reason a server person did not merge reads in a report. */
export const REASON_LABELS: Record<UnmergedReason, string> = {
  linkedAccountEmailChanged: "Linked before, primary email changed since",
  identityEmailDiffers: "SAML/SCIM identity present but its email differs",
  similarCloudAccount: "Look-alike cloud account without this verified email",
  domainNotVerified: "Email domain not verified for the enterprise",
  noEmail: "No primary email on GHES",
  noCloudAccount: "No cloud account (genuinely server-only)",
};

/** The general fix per reason, for summaries (each person also carries its own). */
export const REASON_FIXES: Record<UnmergedReason, string> = {
  linkedAccountEmailChanged:
    "Set the GHES primary email back to one verified on the linked GitHub.com account, or verify the new one there.",
  identityEmailDiffers: "Align the IdP's NameID/email attribute with the GHES primary email.",
  similarCloudAccount: "Have the user add and verify their GHES primary email on GitHub.com.",
  domainNotVerified: "Verify the domain for the enterprise so GitHub can see members' emails on it.",
  noEmail: "Set a primary email on the GHES account.",
  noCloudAccount: "Nothing: these people use only GHES.",
};

/** Percentage with one decimal, e.g. `93.4%`; `n/a` without a denominator. */
export function percent(part: number, whole: number | null): string {
  if (!whole) return "n/a";
  return `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}
