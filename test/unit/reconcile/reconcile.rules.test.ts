import { reconcile } from "../../../src/reconcile/reconcile.js";
import type { ReconcileInput } from "../../../src/shared/report.js";
import { account, cloud, ghecUser, identity, serverOnlyRow } from "../../support/builders.js";

const A = "ghes-a.example";
const B = "ghes-b.example";
const run = (input: Partial<ReconcileInput> & Pick<ReconcileInput, "cloud">) =>
  reconcile({ collectedHosts: [A, B], serverAccounts: [], ...input });

describe("rule 1: email normalization", () => {
  it("trims and lower-cases, so differently written addresses are one person", () => {
    const report = run({
      serverAccounts: [account(A, 1, "mona", "  Mona@Corp.EXAMPLE "), account(B, 7, "mona", "mona@corp.example")],
      cloud: cloud([ghecUser("x")]),
    });
    expect(report.totals.serverOnlyUsers).toBe(1);
    expect(report.people[0]!.accounts).toEqual([`${A}:1`, `${B}:7`]);
  });
  it("changes nothing else: dots and plus-tags make different addresses", () => {
    const report = run({
      serverAccounts: [
        account(A, 1, "a", "mona.lisa@corp.example"),
        account(A, 2, "b", "monalisa@corp.example"),
        account(A, 3, "c", "mona+x@corp.example"),
      ],
      cloud: cloud([ghecUser("x")]),
    });
    expect(report.totals.serverOnlyUsers).toBe(3);
  });
});

describe("rule 2: server persons", () => {
  it("excludes suspended accounts, ghost and scim-admin, but counts dormant ones", () => {
    const report = run({
      serverAccounts: [
        account(A, 1, "ghost", ""),
        account(A, 2, "scim-admin", "scim@corp.example"),
        account(A, 3, "sus", "sus@corp.example", { suspended: true }),
        account(A, 4, "sleepy", "sleepy@corp.example", { dormant: true }),
        account(A, 5, "acme", "", { role: "organization" }),
      ],
      cloud: cloud([ghecUser("x")]),
    });
    expect(report.servers.find((s) => s.hostname === A)).toMatchObject({
      accounts: 5,
      billableAccounts: 1,
      persons: 1,
    });
    expect(report.totals.serverOnlyUsers).toBe(1);
  });
  it("makes each account without an email a person of its own", () => {
    const report = run({
      serverAccounts: [account(A, 1, "a", ""), account(A, 2, "b", ""), account(B, 1, "a", "")],
      cloud: cloud([ghecUser("x")]),
    });
    expect(report.totals.serverOnlyUsers).toBe(3);
    expect(report.reasons.noEmail).toBe(3);
  });
});

describe("rule 3: kept cloud rows", () => {
  it("drops a stale server-only row whose hosts were all collected", () => {
    const report = run({
      serverAccounts: [account(A, 8, "frank", "frank@corp.example")],
      cloud: cloud([serverOnlyRow([`${A}:8`], ["frank@corp.example"])]),
    });
    expect(report.totals).toMatchObject({ cloudUsers: 0, serverOnlyUsers: 1, uniqueUsers: 1, replacedCloudRows: 1 });
  });
  it("keeps a server-only row that names a host not collected in this run", () => {
    const report = run({ cloud: cloud([serverOnlyRow([`${A}:8`, "ghes-old.example:3"], ["frank@corp.example"])]) });
    expect(report.totals).toMatchObject({ cloudUsers: 1, replacedCloudRows: 0 });
  });
  it("keeps server-only rows of Visual Studio subscribers and rows with a GHEC account", () => {
    const vs = { ...serverOnlyRow([`${A}:1`], []), visual_studio_subscription_user: true };
    const linked = { ...serverOnlyRow([`${A}:2`], []), github_com_user: true, github_com_login: "linked" };
    expect(run({ cloud: cloud([vs, linked]) }).totals.cloudUsers).toBe(2);
  });
  it("keeps a server-only row that names no host (our decision: nothing replaces it)", () => {
    expect(run({ cloud: cloud([serverOnlyRow([], [])]) }).totals.cloudUsers).toBe(1);
  });
});

describe("rule 4: matching, in order", () => {
  const email = "dev@corp.example";
  const server = [account(A, 1, "dev", email)];
  it("samlIdentity: any identity value, for the identity's linked login", () => {
    for (const node of [
      { samlIdentity: { nameId: email }, user: { login: "dev-gh" } },
      { samlIdentity: { username: email }, user: { login: "dev-gh" } },
      { samlIdentity: { emails: [{ value: email }] }, user: { login: "dev-gh" } },
      {
        samlIdentity: {
          attributes: [{ name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", value: email }],
        },
        user: { login: "dev-gh" },
      },
      {
        samlIdentity: {
          attributes: [{ name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", value: email }],
        },
        user: { login: "dev-gh" },
      },
      { scimIdentity: { username: email }, user: { login: "DEV-GH" } },
      { scimIdentity: { emails: [{ value: email }] }, user: { login: "dev-gh" } },
    ]) {
      const report = run({ serverAccounts: server, cloud: cloud([ghecUser("dev-gh")]), identities: [identity(node)] });
      expect(report.totals.matchedBy.samlIdentity).toBe(1);
      expect(report.totals.uniqueUsers).toBe(1);
    }
  });
  it("samlIdentity ignores other attributes and identities whose login is not a kept row", () => {
    const other = identity({
      samlIdentity: { attributes: [{ name: "department", value: email }] },
      user: { login: "dev-gh" },
    });
    const unlinked = identity({ samlIdentity: { nameId: email }, user: { login: "not-licensed" } });
    const report = run({ serverAccounts: server, cloud: cloud([ghecUser("dev-gh")]), identities: [other, unlinked] });
    expect(report.totals.uniqueUsers).toBe(2);
  });
  it("samlNameId, verifiedDomainEmail, linkedServerEmail, visualStudioEmail", () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ["samlNameId", ghecUser("u", { github_com_saml_name_id: "DEV@corp.example" })],
      ["verifiedDomainEmail", ghecUser("u", { github_com_verified_domain_emails: ["other@corp.example", email] })],
      ["linkedServerEmail", ghecUser("u", { enterprise_server_emails: [email] })],
      ["linkedServerEmail", ghecUser("u", { enterprise_server_primary_emails: [email] })],
      [
        "visualStudioEmail",
        {
          github_com_login: "",
          github_com_user: false,
          visual_studio_subscription_user: true,
          visual_studio_subscription_email: email,
        },
      ],
    ];
    for (const [rule, row] of cases) {
      const report = run({ serverAccounts: server, cloud: cloud([row]) });
      expect({ rule, count: report.totals.matchedBy[rule as "samlNameId"], unique: report.totals.uniqueUsers }).toEqual(
        { rule, count: 1, unique: 1 },
      );
      expect(report.matched[0]!.matchedBy).toBe(rule);
    }
  });
  it("names the first rule in the documented order when several apply", () => {
    const row = ghecUser("u", {
      github_com_saml_name_id: email,
      github_com_verified_domain_emails: [email],
      enterprise_server_emails: [email],
      visual_studio_subscription_email: email,
    });
    const withIdentity = run({
      serverAccounts: server,
      cloud: cloud([row]),
      identities: [identity({ samlIdentity: { nameId: email }, user: { login: "u" } })],
    });
    expect(withIdentity.matched[0]!.matchedBy).toBe("samlIdentity");
    expect(run({ serverAccounts: server, cloud: cloud([row]) }).matched[0]!.matchedBy).toBe("samlNameId");
    const noNameId = { ...row, github_com_saml_name_id: "" };
    expect(run({ serverAccounts: server, cloud: cloud([noNameId]) }).matched[0]!.matchedBy).toBe("verifiedDomainEmail");
  });
  it("never matches through a dropped stale row, nor through unverified data", () => {
    const report = run({
      serverAccounts: server,
      cloud: cloud([serverOnlyRow([`${A}:1`], [email]), ghecUser("u", { github_com_name: "dev" })]),
    });
    expect(report.totals).toMatchObject({ cloudUsers: 1, serverOnlyUsers: 1, uniqueUsers: 2, replacedCloudRows: 1 });
  });
  it("matches to the first row in GitHub's order when two rows carry the email", () => {
    const report = run({
      serverAccounts: server,
      cloud: cloud([
        ghecUser("first", { enterprise_server_emails: [email] }),
        ghecUser("second", { enterprise_server_emails: [email] }),
      ]),
    });
    expect(report.matched[0]!.cloudLogin).toBe("first");
  });
});

describe("rule 5: unique users", () => {
  it("is kept cloud rows plus server persons that matched none", () => {
    const report = run({
      serverAccounts: [
        account(A, 1, "a", "a@corp.example"),
        account(A, 2, "b", "b@corp.example"),
        account(B, 3, "a", "A@corp.example"),
      ],
      cloud: cloud([ghecUser("a", { github_com_verified_domain_emails: ["a@corp.example"] }), ghecUser("c")]),
    });
    expect(report.totals).toMatchObject({ cloudUsers: 2, serverOnlyUsers: 1, uniqueUsers: 3 });
    expect(report.servers.map((s) => [s.hostname, s.persons, s.matchedToCloud, s.serverOnly])).toEqual([
      [A, 2, 1, 1],
      [B, 1, 1, 0],
    ]);
  });
});
