import { reconcile } from "../../../src/reconcile/reconcile.js";
import { startReconciliation } from "../../../src/reconcile/index.js";
import { ServerPersonIndex, type HandleIndex } from "../../../src/reconcile/server-persons.js";
import type { CloudLicense } from "../../../src/shared/report.js";
import { account, cloud, ghecUser, identity } from "../../support/builders.js";

const A = "ghes-a.example";
const B = "ghes-b.example";
const verifiedMember = ghecUser("someone", { github_com_verified_domain_emails: ["someone@corp.example"] });

describe("a person's handle keys, folded in account by account", () => {
  it("finds a look-alike cloud account through a later account of the same person", () => {
    // The first account's login points at nothing; the second's does.
    const report = reconcile({
      collectedHosts: [A, B],
      serverAccounts: [account(A, 1, "u1001", "grace@corp.example"), account(B, 7, "grace", "grace@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("Grace")]),
    });
    expect(report.people).toHaveLength(1);
    expect(report.people[0]).toMatchObject({
      reason: "similarCloudAccount",
      likelyCloudLogin: "Grace",
      hosts: [A, B],
      accounts: [`${A}:1`, `${B}:7`],
    });
  });

  it("keeps the first account's hit when a later account points elsewhere", () => {
    const report = reconcile({
      collectedHosts: [A, B],
      serverAccounts: [account(A, 1, "grace", "g@corp.example"), account(B, 7, "ada", "g@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("ada"), ghecUser("grace")]),
    });
    expect(report.people[0]).toMatchObject({ reason: "similarCloudAccount", likelyCloudLogin: "grace" });
  });

  it("an identity hit from a later account outranks a look-alike from the first", () => {
    const report = reconcile({
      collectedHosts: [A, B],
      serverAccounts: [account(A, 1, "grace", "g@corp.example"), account(B, 7, "lsmith", "g@corp.example")],
      cloud: cloud([verifiedMember, ghecUser("grace"), ghecUser("leo-gh")]),
      identities: [identity({ samlIdentity: { nameId: "lsmith" }, user: { login: "leo-gh" } })],
    });
    expect(report.people[0]).toMatchObject({ reason: "identityEmailDiffers", likelyCloudLogin: "leo-gh" });
  });
});

describe("ServerPersonIndex", () => {
  const noHandles: HandleIndex = { identityHandle: new Map(), cloudHandle: new Map() };
  const row = { index: 0, login: "grace" } as CloudLicense;

  it("drains every person once, in the order first seen, and takes no account afterwards", () => {
    const persons = new ServerPersonIndex(() => null, noHandles);
    persons.add(account(A, 1, "a", "a@corp.example"));
    persons.add(account(A, 2, "b", "b@corp.example"));
    persons.add(account(B, 3, "a2", "a@corp.example"));
    persons.add(account(B, 4, "s", "s@corp.example", { suspended: true }));
    expect(persons.size).toBe(2);
    const drained = [...persons.drain()];
    expect(drained.map((p) => p.accounts)).toEqual([
      [A, 1, B, 3],
      [A, 2],
    ]);
    expect(persons.accountsPerHost.get(B)).toEqual({ hostname: B, accounts: 2, billable: 1 });
    expect(() => [...persons.drain()]).toThrow(/drained already/);
    expect(() => persons.add(account(A, 5, "c", "c@corp.example"))).toThrow(/after the persons were drained/);
  });

  it("a merged person keeps no look-alike, however its accounts' handles point", () => {
    const handles: HandleIndex = { identityHandle: new Map(), cloudHandle: new Map() };
    const persons = new ServerPersonIndex(() => ({ rule: "samlNameId", row }), handles);
    const first = account(A, 1, "grace", "grace@corp.example");
    for (const key of first.handleKeys) handles.cloudHandle.set(key, row);
    persons.add(first);
    const [person] = [...persons.drain()];
    expect(person).toMatchObject({ match: { rule: "samlNameId" }, similarRow: null, identityLogin: null });
  });
});

describe("finish", () => {
  it("builds the report once: a second call is refused rather than answered with no one", () => {
    const run = startReconciliation({ collectedHosts: [A], cloud: cloud([verifiedMember]) });
    run.addServerAccount(account(A, 1, "frank", "frank@corp.example"));
    expect(run.finish().totals.serverOnlyUsers).toBe(1);
    expect(() => run.finish()).toThrow(/drained already/);
  });

  it("people on the same hosts share one host list", () => {
    const report = reconcile({
      collectedHosts: [A, B],
      serverAccounts: [
        account(A, 1, "a", "a@corp.example"),
        account(A, 2, "b", "b@corp.example"),
        account(B, 3, "b", "b@corp.example"),
        account(B, 4, "c", "c@corp.example"),
        account(A, 5, "c", "c@corp.example"),
        account(A, 6, "d", "d@corp.example"),
      ],
      cloud: cloud([verifiedMember]),
    });
    const byAccount = new Map(report.people.map((p) => [p.accounts[0]!, p.hosts]));
    expect(byAccount.get(`${A}:1`)).toEqual([A]);
    expect(byAccount.get(`${A}:1`)).toBe(byAccount.get(`${A}:6`));
    expect(byAccount.get(`${A}:2`)).toEqual([A, B]);
    expect(byAccount.get(`${A}:5`)).toEqual([B, A]);
    expect(byAccount.get(`${A}:2`)).not.toBe(byAccount.get(`${A}:5`));
  });
});
