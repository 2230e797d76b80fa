import { reconcile } from "../../src/reconcile/reconcile.js";
import type { ReconcileInput, ServerOnlyPerson } from "../../src/reconcile/model.js";
import { account, cloud, ghecUser, identity } from "../support/builders.js";

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
    expect(person.fix).toMatch(/primary email/);
  });
  it("email domain not verified", () => {
    const person = only({
      serverAccounts: [account(A, 1, "ivan", "ivan@contractor.example")],
      cloud: cloud([verifiedMember]),
    });
    expect(person).toMatchObject({ reason: "domainNotVerified", maskedEmail: "i***@contractor.example" });
    expect(person.fix).toContain("contractor.example");
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
    expect(person.fix).toContain("GraceHopper");
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

describe("divergences from one run", () => {
  const twoUsers = [account(A, 1, "a", "a@corp.example"), account(A, 2, "b", "b@corp.example")];
  it("over-consumed when our unique count passes the purchased seats", () => {
    const report = reconcile({
      collectedHosts: [A],
      serverAccounts: twoUsers,
      cloud: cloud([ghecUser("c")], { purchased: 2 }),
    });
    expect(report.divergences.map((d) => d.kind)).toEqual(["over-consumed", "unique-count-mismatch"]);
    expect(report.divergences[0]!.figures).toMatchObject({ over: 1, purchased: 2 });
  });
  it("near-limit at the threshold, not below", () => {
    const rows = Array.from({ length: 9 }, (_, i) => ghecUser(`u${i}`));
    expect(
      reconcile({ collectedHosts: [A], serverAccounts: [], cloud: cloud(rows, { purchased: 10 }) }).divergences.map(
        (d) => d.kind,
      ),
    ).toEqual(["near-limit"]);
    expect(
      reconcile({ collectedHosts: [A], serverAccounts: [], cloud: cloud(rows.slice(1), { purchased: 10 }) })
        .divergences,
    ).toEqual([]);
    expect(
      reconcile({
        collectedHosts: [A],
        serverAccounts: [],
        cloud: cloud(rows.slice(1), { purchased: 10 }),
        thresholds: { nearLimitRatio: 0.8 },
      }).divergences.map((d) => d.kind),
    ).toEqual(["near-limit"]);
  });
  it("unique-count-mismatch beyond the tolerance only", () => {
    const input = { collectedHosts: [A], serverAccounts: twoUsers, cloud: cloud([ghecUser("c")], { purchased: 100 }) };
    expect(reconcile(input).divergences.find((d) => d.kind === "unique-count-mismatch")?.figures).toMatchObject({
      difference: 2,
      serverOnlyUsers: 2,
    });
    expect(reconcile({ ...input, thresholds: { uniqueCountTolerance: 2 } }).divergences).toEqual([]);
  });
  it("no seat divergences when GitHub does not report purchased seats", () => {
    const report = reconcile({
      collectedHosts: [A],
      serverAccounts: [],
      cloud: cloud([ghecUser("c")], { purchased: null }),
    });
    expect(report.divergences).toEqual([]);
  });
});
