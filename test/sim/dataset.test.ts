import { createDataset } from "./dataset.js";
import { categoryCounts, DEFAULT_MIX } from "./dataset-options.js";
import { ALL_USERS_COLUMNS, CATEGORIES, RETIRED_HOST } from "./dataset-types.js";
import { EMAIL_CLAIM } from "./identities.js";

const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example", "ghes-c.corp.example"];
const take = <T>(items: Iterable<T>, n: number): T[] => {
  const out: T[] = [];
  for (const item of items) {
    if (out.length === n) break;
    out.push(item);
  }
  return out;
};

describe("createDataset determinism", () => {
  const a = createDataset({ seed: 7, persons: 2000, hosts: HOSTS });
  const b = createDataset({ seed: 7, persons: 2000, hosts: HOSTS });
  const c = createDataset({ seed: 8, persons: 2000, hosts: HOSTS });

  test("the same seed gives the same rows, identities and totals", () => {
    expect([...a.consumedLicenseRows()]).toEqual([...b.consumedLicenseRows()]);
    expect([...a.ghesAccounts(HOSTS[1] ?? "")]).toEqual([...b.ghesAccounts(HOSTS[1] ?? "")]);
    expect([...a.externalIdentities()]).toEqual([...b.externalIdentities()]);
    expect(a.expected).toEqual(b.expected);
  });

  test("another seed gives other rows", () => {
    expect(take(c.consumedLicenseRows(), 50)).not.toEqual(take(a.consumedLicenseRows(), 50));
    expect(take(c.ghesAccounts(HOSTS[0] ?? ""), 50)).not.toEqual(take(a.ghesAccounts(HOSTS[0] ?? ""), 50));
  });

  test("any row or person is computed on its own, in any order", () => {
    const all = [...a.consumedLicenseRows()];
    for (const k of [all.length - 1, 0, 977, 13]) expect(a.consumedLicenseRow(k)).toEqual(all[k]);
    expect([...a.consumedLicenseRows(100, 110)]).toEqual(all.slice(100, 110));
    expect(a.person(1234)).toEqual(b.person(1234));
    expect(() => a.consumedLicenseRow(all.length)).toThrow(RangeError);
  });
});

describe("categories", () => {
  test("counts are exactly the mix's shares (largest remainder) and the census sees the same", () => {
    const ds = createDataset({ seed: 1, persons: 1000, hosts: HOSTS });
    expect(ds.categoryCounts).toEqual({
      cloudOnly: 300,
      matchedSamlIdentity: 100,
      matchedSamlNameId: 80,
      matchedVerifiedDomainEmail: 140,
      matchedLinkedServerEmail: 100,
      matchedVisualStudio: 40,
      serverOnlyFresh: 60,
      staleOtherHost: 20,
      doubleCounted: 40,
      serverOnlyUnsynced: 120,
    });
    expect(ds.census.categories).toEqual(ds.categoryCounts);
    expect(categoryCounts(7, DEFAULT_MIX)).toEqual(expect.objectContaining({ cloudOnly: 2 }));
    expect(Object.values(categoryCounts(7, DEFAULT_MIX)).reduce((x, y) => x + y, 0)).toBe(7);
  });

  test("a custom mix is honoured, zero shares give no persons", () => {
    const mix = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
    const ds = createDataset({ seed: 1, persons: 90, hosts: HOSTS, mix: { ...mix, doubleCounted: 2, cloudOnly: 1 } });
    expect(ds.categoryCounts.doubleCounted).toBe(60);
    expect(ds.categoryCounts.cloudOnly).toBe(30);
    expect(ds.consumedLicenseCount).toBe(90);
    expect(ds.expected.serverOnlyUsers).toBeGreaterThanOrEqual(60);
  });

  test("each person has a unique email, and double-counted ones look alike across sides", () => {
    const ds = createDataset({ seed: 3, persons: 3000, hosts: HOSTS });
    const emails = new Set<string>();
    for (let i = 0; i < 3000; i++) emails.add(ds.person(i).email);
    expect(emails.size).toBe(3000);
    const dc = [...Array(3000).keys()].map((i) => ds.person(i)).find((p) => p.category === "doubleCounted");
    expect(dc?.email).toMatch(/^[a-z]+\.[a-z]+\d+@corp\.example$/);
    expect(dc?.cloudLogin).toBe(dc?.email.split("@")[0]?.replace(".", ""));
  });
});

describe("GHES accounts", () => {
  const ds = createDataset({ seed: 11, persons: 3000, hosts: HOSTS, noise: { multiHost: 0.5 } });
  const rows = [...ds.ghesAccounts(HOSTS[0] ?? "")];

  test("rows have exactly the all_users.csv columns, with mixed boolean styles", () => {
    for (const row of rows.slice(0, 50)) expect(Object.keys(row).sort()).toEqual([...ALL_USERS_COLUMNS].sort());
    const styles = new Set(rows.map((r) => r["suspended?"]));
    expect(styles).toEqual(new Set(["true", "false", "yes", "no", "1", "0"]));
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(["user", "admin"]));
  });

  test("built-in, suspended, no-email, dormant and variant-email accounts are all there", () => {
    expect(rows.map((r) => r.login)).toEqual(expect.arrayContaining(["ghost", "scim-admin"]));
    expect(rows.some((r) => ["true", "yes", "1"].includes(r["suspended?"]))).toBe(true);
    expect(rows.some((r) => r.email === "" && r.login.startsWith("svc-build-"))).toBe(true);
    expect(rows.some((r) => ["true", "yes", "1"].includes(r["dormant?"]))).toBe(true);
    expect(rows.some((r) => r.email !== r.email.trim() && /[A-Z]/.test(r.email))).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  test("perHost counts equal the rows, and license/stats agree with them", () => {
    const billable = rows.filter(
      (r) => !["true", "yes", "1"].includes(r["suspended?"]) && r.login !== "ghost" && r.login !== "scim-admin",
    );
    expect(ds.expected.perHost[HOSTS[0] ?? ""]).toEqual({ accounts: rows.length, billableAccounts: billable.length });
    expect(ds.statsUsers(HOSTS[0] ?? "").total_users).toBe(rows.length);
    expect(ds.statsUsers(HOSTS[0] ?? "").admin_users).toBe(rows.filter((r) => r.role === "admin").length);
    expect(ds.license(HOSTS[0] ?? "")).toEqual(
      expect.objectContaining({ seats: "unlimited", seats_available: "unlimited", seats_used: billable.length }),
    );
    const second = ds.license(HOSTS[1] ?? "");
    expect(typeof second.seats).toBe("number");
    expect(second.expire_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(ds.license(HOSTS[0] ?? "").expire_at).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d [+-]\d{4}$/);
    expect(() => ds.license("nope.example")).toThrow(/unknown host/);
  });
});

describe("consumed-licenses rows and identities", () => {
  const ds = createDataset({ seed: 5, persons: 4000, hosts: HOSTS });
  const rows = [...ds.consumedLicenseRows()];

  test("documented drift appears", () => {
    expect(rows.some((r) => "enterprise_server_primary_emails" in r && !("enterprise_server_emails" in r))).toBe(true);
    expect(rows.some((r) => r.github_com_user === true && r.github_com_two_factor_auth === "")).toBe(true);
    expect(rows.some((r) => r.visual_studio_subscription_user === "")).toBe(true);
    expect(rows.some((r) => r.github_com_user === true && "github_com_enterprise_role" in r)).toBe(true);
    expect(new Set(rows.map((r) => r.license_type))).toEqual(
      new Set(["enterprise", "Enterprise", "ENTERPRISE", "visual_studio", "Visual_studio", "VISUAL_STUDIO"]),
    );
    expect(rows.some((r) => "cost_center" in r && "github_advanced_security_committer" in r)).toBe(true);
  });

  test("without drift, none of it", () => {
    const clean = [...createDataset({ seed: 5, persons: 2000, hosts: HOSTS, drift: false }).consumedLicenseRows()];
    expect(clean.some((r) => "enterprise_server_primary_emails" in r || "cost_center" in r)).toBe(false);
    expect(clean.some((r) => r.visual_studio_subscription_user === "" || /[A-Z]/.test(r.license_type))).toBe(false);
  });

  test("stale server-only rows name collected hosts, retired-host rows name the retired host", () => {
    const serverOnly = rows.filter((r) => r.github_com_user === false && r.visual_studio_subscription_user !== true);
    expect(serverOnly).toHaveLength(ds.categoryCounts.serverOnlyFresh + ds.categoryCounts.staleOtherHost);
    const retired = serverOnly.filter((r) =>
      r.enterprise_server_user_ids.every((id) => id.startsWith(`${RETIRED_HOST}:`)),
    );
    expect(retired).toHaveLength(ds.categoryCounts.staleOtherHost);
  });

  test("identities: linked, unlinked, SCIM-only and emailaddress-claim-only nodes exist", () => {
    const nodes = [...ds.externalIdentities()];
    expect(nodes).toHaveLength(Object.values(ds.census.identities).reduce((x, y) => x + y, 0));
    expect(nodes.some((n) => n.user === null)).toBe(true);
    expect(nodes.some((n) => n.samlIdentity === null && n.scimIdentity !== null)).toBe(true);
    const claimOnly = nodes.filter((n) => {
      const claim = n.samlIdentity?.attributes.find((a) => a.name === EMAIL_CLAIM)?.value;
      return (
        claim &&
        !n.samlIdentity?.emails.length &&
        !n.samlIdentity?.nameId?.includes("@") &&
        !n.samlIdentity?.username?.includes("@")
      );
    });
    expect(claimOnly.length).toBeGreaterThan(0);
    expect(new Set(nodes.map((n) => n.guid)).size).toBe(nodes.length);
  });

  test("identity pages walk every identity exactly once", () => {
    const seen: string[] = [];
    let from: number | null = 0;
    while (from !== null) {
      const page = ds.identityPage(undefined, from, 37);
      seen.push(...page.nodes.map((n) => n.guid));
      from = page.next;
    }
    expect(seen).toEqual([...ds.externalIdentities()].map((n) => n.guid));
  });

  test("organization IdPs split identities, the enterprise IdP then holds none", () => {
    const orgs = createDataset({ seed: 5, persons: 2000, hosts: HOSTS, identityOrgs: ["acme-eng", "acme-ops"] });
    const eng = [...orgs.externalIdentities("acme-eng")].length;
    const ops = [...orgs.externalIdentities("acme-ops")].length;
    expect(eng).toBeGreaterThan(0);
    expect(ops).toBeGreaterThan(0);
    expect(eng + ops).toBe([...orgs.externalIdentities()].length);
    expect([...orgs.externalIdentities(null)]).toHaveLength(0);
  });

  test("sync status lists every host plus the retired one, which failed", () => {
    const status = ds.syncStatus().server_instances;
    expect(status.map((s) => s.hostname)).toEqual([...HOSTS, RETIRED_HOST]);
    expect(status.at(-1)?.last_sync.status).not.toBe("success");
  });
});
