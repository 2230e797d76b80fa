import { diagnosisFix } from "../../../src/publish/render/diagnosis-fix.js";
import { reconcile } from "../../../src/reconcile/reconcile.js";
import type { ReconcileInput, ServerOnlyPerson } from "../../../src/shared/report.js";
import { account, cloud, ghecUser, identity } from "../../support/builders.js";

const A = "ghes-a.example";
const verifiedMember = ghecUser("someone", { github_com_verified_domain_emails: ["someone@corp.example"] });
const only = (input: Partial<ReconcileInput> & Pick<ReconcileInput, "cloud" | "serverAccounts">): ServerOnlyPerson => {
  const report = reconcile({ collectedHosts: [A], ...input });
  expect(report.people).toHaveLength(1);
  return report.people[0]!;
};

describe("rule 6: why a server person did not merge", () => {
  it("no email", () => {
    const person = only({ serverAccounts: [account(A, 1, "heidi", "")], cloud: cloud([verifiedMember]) });
    expect(person).toMatchObject({ reason: "noEmail", maskedEmail: null, hosts: [A] });
    expect(diagnosisFix(person)).toMatch(/primary email/);
  });
  it("email domain not verified", () => {
    const person = only({
      serverAccounts: [account(A, 1, "ivan", "ivan@contractor.example")],
      cloud: cloud([verifiedMember]),
    });
    expect(person).toMatchObject({ reason: "domainNotVerified", maskedEmail: "i***@contractor.example" });
    expect(diagnosisFix(person)).toContain("contractor.example");
  });
  it("uses the given verified domains over those seen in cloud rows", () => {
    const person = only({
      serverAccounts: [account(A, 1, "ivan", "ivan@contractor.example")],
      cloud: cloud([verifiedMember]),
      verifiedDomains: ["Contractor.Example"],
    });
    expect(person.reason).toBe("noCloudAccount");
  });
  it("a cloud account with a similar login but no verified email", () => {
    const person = only({
      serverAccounts: [account(A, 1, "grace", "grace.hopper@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("GraceHopper")]),
    });
    expect(person).toMatchObject({ reason: "similarCloudAccount", likelyCloudLogin: "GraceHopper" });
    expect(diagnosisFix(person)).toContain("GraceHopper");
  });
  it("a cloud account whose name resembles the email's local part", () => {
    const person = only({
      serverAccounts: [account(A, 1, "u123", "ada.lovelace@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("al", { github_com_name: "Ada Lovelace" })]),
    });
    expect(person).toMatchObject({ reason: "similarCloudAccount", likelyCloudLogin: "al" });
  });
  it("identity present but its email differs", () => {
    const person = only({
      serverAccounts: [account(A, 1, "leosmith", "leo@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("lsmith")]),
      identities: [identity({ samlIdentity: { nameId: "leo.smith@idp.example" }, user: { login: "lsmith" } })],
    });
    expect(person).toMatchObject({ reason: "identityEmailDiffers", likelyCloudLogin: "lsmith" });
  });
  it("linked at an earlier sync but the email changed since", () => {
    const person = only({
      serverAccounts: [account(A, 2, "kim", "kim@corp.example")],
      cloud: cloud([
        verifiedMember,
        ghecUser("kim-gh", {
          enterprise_server_user_ids: [`${A}:2`],
          enterprise_server_emails: ["kim.old@corp.example"],
        }),
      ]),
    });
    expect(person).toMatchObject({ reason: "linkedAccountEmailChanged", likelyCloudLogin: "kim-gh" });
  });
  it("genuinely server-only", () => {
    const person = only({
      serverAccounts: [account(A, 1, "frank", "frank@corp.example")],
      cloud: cloud([verifiedMember]),
    });
    expect(person).toMatchObject({ reason: "noCloudAccount", likelyCloudLogin: null });
  });
  it("sorts people by how likely they are counted twice", () => {
    const report = reconcile({
      collectedHosts: [A],
      serverAccounts: [account(A, 1, "frank", "frank@corp.example"), account(A, 2, "grace", "grace@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("grace-gh", { github_com_name: "Grace" })]),
    });
    expect(report.people.map((p) => p.reason)).toEqual(["similarCloudAccount", "noCloudAccount"]);
  });
  it("never puts a clear email in the report unless asked", () => {
    const report = reconcile({
      collectedHosts: [A],
      serverAccounts: [account(A, 1, "frank", "frank@corp.example")],
      cloud: cloud([verifiedMember]),
    });
    expect(JSON.stringify(report)).not.toContain("frank@corp.example");
  });
});
