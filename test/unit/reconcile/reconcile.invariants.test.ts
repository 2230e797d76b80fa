import { reconcile } from "../../../src/reconcile/reconcile.js";
import type { CloudUsage, ExternalIdentity, ServerAccount } from "../../../src/shared/report.js";
import { account, cloud, ghecUser, identity, serverOnlyRow } from "../../support/builders.js";

/** mulberry32: a tiny seeded PRNG so every run sees the same "random" enterprise. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const HOSTS = ["ghes-a", "ghes-b", "ghes-c"];

/** A mixed enterprise: every rule, stale rows, no-email and non-billable accounts, overlaps. */
function enterprise(seed: number, people = 400) {
  const random = prng(seed);
  const accounts: ServerAccount[] = [];
  const cloudRows: Array<Record<string, unknown>> = [];
  const identities: ExternalIdentity[] = [];
  /** `host:id` -> person index, to find a person's clear email again. */
  const personOf = new Map<string, number>();
  let nextId = 1;
  for (let i = 0; i < people; i++) {
    const email = `p${i}@corp.example`;
    const kind = Math.floor(random() * 9);
    const hosts = HOSTS.filter(() => random() < 0.5);
    for (const host of hosts) {
      personOf.set(`${host}:${nextId}`, i);
      accounts.push(
        account(host, nextId++, `p${i}`, random() < 0.3 ? ` P${i}@Corp.Example ` : email, {
          suspended: random() < 0.05,
        }),
      );
    }
    if (kind === 0) cloudRows.push(ghecUser(`c${i}`, { github_com_verified_domain_emails: [email] }));
    if (kind === 1) cloudRows.push(ghecUser(`c${i}`, { github_com_saml_name_id: email }));
    if (kind === 2) cloudRows.push(ghecUser(`c${i}`, { enterprise_server_emails: [email] }));
    if (kind === 3)
      cloudRows.push({
        github_com_login: "",
        visual_studio_subscription_user: true,
        visual_studio_subscription_email: email,
      });
    if (kind === 4) {
      cloudRows.push(ghecUser(`c${i}`));
      identities.push(identity({ samlIdentity: { nameId: email }, user: { login: `c${i}` } }));
    }
    if (kind === 5 && hosts.length > 0)
      cloudRows.push(
        serverOnlyRow(
          hosts.map((h) => `${h}:${nextId - 1}`),
          [email],
        ),
      );
    if (kind === 6) cloudRows.push(serverOnlyRow([`ghes-old:${i}`], [email]));
    if (kind === 7) cloudRows.push(ghecUser(`c${i}`));
  }
  for (let i = 0; i < 20; i++) accounts.push(account(HOSTS[i % 3]!, nextId++, `nomail${i}`, ""));
  return { accounts, cloudRows, identities, personOf };
}

const run = (accounts: ServerAccount[], usage: CloudUsage, identities: ExternalIdentity[]) =>
  reconcile({ collectedHosts: HOSTS, serverAccounts: accounts, cloud: usage, identities });

describe("engine invariants", () => {
  it.each([1, 2, 3])("shuffling rows does not change totals (seed %i)", (seed) => {
    const { accounts, cloudRows, identities } = enterprise(seed);
    const base = run(accounts, cloud(cloudRows), identities);
    const random = prng(seed * 99);
    const shuffled = run(shuffle(accounts, random), cloud(shuffle(cloudRows, random)), shuffle(identities, random));
    expect(shuffled.totals).toEqual(base.totals);
    expect(shuffled.servers).toEqual(base.servers);
    expect(shuffled.reasons).toEqual(base.reasons);
    expect(base.totals.uniqueUsers).toBeGreaterThan(base.totals.cloudUsers);
    expect(Object.values(base.totals.matchedBy).every((n) => n > 0)).toBe(true);
  });

  it("the same people on a second server are not counted twice", () => {
    const { accounts, cloudRows, identities } = enterprise(4);
    const base = run(accounts, cloud(cloudRows), identities);
    // Accounts without an email are persons of their own by rule 2, so only emailed ones are mirrored.
    const copies = accounts
      .filter((a) => a.primaryEmail)
      .map((a, i) => ({ ...a, hostname: "ghes-mirror", id: 100000 + i }));
    const doubled = reconcile({
      collectedHosts: [...HOSTS, "ghes-mirror"],
      serverAccounts: [...accounts, ...copies],
      cloud: cloud(cloudRows),
      identities,
    });
    expect(doubled.totals.uniqueUsers).toBe(base.totals.uniqueUsers);
    expect(doubled.totals.serverOnlyUsers).toBe(base.totals.serverOnlyUsers);
    expect(doubled.servers.find((s) => s.hostname === "ghes-mirror")!.accounts).toBe(copies.length);
  });

  it("adding a cloud row that verifies a server person's email lowers serverOnlyUsers by one", () => {
    const { accounts, cloudRows, identities, personOf } = enterprise(5);
    const base = run(accounts, cloud(cloudRows), identities);
    const target = base.people.find((p) => p.maskedEmail !== null)!;
    const email = `p${personOf.get(target.accounts[0]!)}@corp.example`;
    const withRow = run(
      accounts,
      cloud([...cloudRows, ghecUser("verifier", { github_com_verified_domain_emails: [email] })]),
      identities,
    );
    expect(withRow.totals.serverOnlyUsers).toBe(base.totals.serverOnlyUsers - 1);
    expect(withRow.totals.cloudUsers).toBe(base.totals.cloudUsers + 1);
    expect(withRow.totals.uniqueUsers).toBe(base.totals.uniqueUsers);
    expect(withRow.totals.matchedBy.verifiedDomainEmail).toBe(base.totals.matchedBy.verifiedDomainEmail + 1);
  });
});
