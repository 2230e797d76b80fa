import { diagnosisFix } from "../../../../src/publish/render/diagnosis-fix.js";
import { UNMERGED_REASONS, type ServerOnlyPerson } from "../../../../src/shared/report.js";
import { reconcile } from "../../../../src/reconcile/reconcile.js";
import { account, cloud, ghecUser, identity } from "../../../support/builders.js";

const A = "ghes-a.example";
const verifiedMember = ghecUser("someone", { github_com_verified_domain_emails: ["someone@corp.example"] });

/** The one server-only person of a run, diagnosed by the engine. */
function only(input: Omit<Parameters<typeof reconcile>[0], "collectedHosts">): ServerOnlyPerson {
  const { people } = reconcile({ collectedHosts: [A], ...input });
  expect(people).toHaveLength(1);
  return people[0]!;
}

/** Runs that lead to every fix sentence (docs/matching-rule.md, step 6). */
const SCENARIOS: Record<string, () => ServerOnlyPerson> = {
  "no email": () => only({ serverAccounts: [account(A, 1, "heidi", "")], cloud: cloud([verifiedMember]) }),
  "no email, looks like a cloud account": () =>
    only({
      serverAccounts: [account(A, 1, "GraceHopper", "")],
      cloud: cloud([verifiedMember, ghecUser("GraceHopper")]),
    }),
  "domain not verified": () =>
    only({ serverAccounts: [account(A, 1, "ivan", "ivan@contractor.example")], cloud: cloud([verifiedMember]) }),
  "similar cloud account": () =>
    only({
      serverAccounts: [account(A, 1, "grace", "grace.hopper@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("GraceHopper")]),
    }),
  "similar cloud account, domain not verified": () =>
    only({
      serverAccounts: [account(A, 1, "grace", "grace.hopper@contractor.example")],
      cloud: cloud([verifiedMember, ghecUser("GraceHopper")]),
    }),
  "identity email differs": () =>
    only({
      serverAccounts: [account(A, 1, "leosmith", "leo@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("lsmith")]),
      identities: [identity({ samlIdentity: { nameId: "leo.smith@idp.example" }, user: { login: "lsmith" } })],
    }),
  "linked account email changed": () => {
    // GitHub linked GHES account 2 to kim-gh at a sync when its email was kim.old@.
    const linked = { enterprise_server_user_ids: [`${A}:2`], enterprise_server_emails: ["kim.old@corp.example"] };
    return only({
      serverAccounts: [account(A, 2, "kim", "kim@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("kim-gh", linked)]),
    });
  },
  "no cloud account": () =>
    only({ serverAccounts: [account(A, 1, "frank", "frank@corp.example")], cloud: cloud([verifiedMember]) }),
};

/** The reason and fix of each scenario, as the engine wrote fixes before they moved to publish (byte for byte). */
const EXPECTED: Record<string, [string, string]> = {
  "no email": [
    "noEmail",
    "The account has no primary email, so it can never merge. Set a primary email on GHES that is verified on the person's GitHub.com account.",
  ],
  "no email, looks like a cloud account": [
    "noEmail",
    "The account has no primary email, so it can never merge (it looks like GraceHopper). Set a primary email on GHES that is verified on the person's GitHub.com account.",
  ],
  "domain not verified": [
    "domainNotVerified",
    "contractor.example is not a verified domain of the enterprise, so GitHub cannot see a matching cloud email even if one exists. Verify contractor.example (Enterprise settings > Verified & approved domains).",
  ],
  "similar cloud account": [
    "similarCloudAccount",
    "GraceHopper looks like the same person but has no verified email equal to this one. Have GraceHopper add and verify this address on GitHub.com, or set the GHES primary email to one GraceHopper has verified.",
  ],
  "similar cloud account, domain not verified": [
    "similarCloudAccount",
    "GraceHopper looks like the same person but has no verified email equal to this one, and contractor.example is not a verified domain. Verify contractor.example for the enterprise and have GraceHopper add and verify this address on GitHub.com.",
  ],
  "identity email differs": [
    "identityEmailDiffers",
    "lsmith's SAML/SCIM identity resembles this account but carries a different email. Make the IdP's NameID or email attribute equal the GHES primary email (or change the GHES primary email to the IdP's), then sync.",
  ],
  "linked account email changed": [
    "linkedAccountEmailChanged",
    "GitHub linked this account to kim-gh at an earlier sync, but its primary email no longer matches any of kim-gh's emails. Set the GHES primary email to an address verified on kim-gh, or have kim-gh add and verify this address, then sync.",
  ],
  "no cloud account": [
    "noCloudAccount",
    "No cloud account resembles this person: a genuine server-only user consuming one seat. Nothing to fix unless they also use GitHub.com.",
  ],
};

test.each(Object.keys(SCENARIOS))("%s", (name) => {
  const person = SCENARIOS[name]!();
  expect([person.reason, diagnosisFix(person)]).toEqual(EXPECTED[name]);
});

test("every reason has a fix scenario", () => {
  expect(new Set(Object.values(EXPECTED).map(([reason]) => reason))).toEqual(new Set(UNMERGED_REASONS));
});
