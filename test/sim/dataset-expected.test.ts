import { createDataset, type DatasetOptions } from "./dataset.js";
import { referenceTotals } from "./reference-rule.js";

const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example", "ghes-c.corp.example"];

describe("dataset.expected agrees with actually matching the generated rows (docs/matching-rule.md)", () => {
  const cases: Array<[string, DatasetOptions]> = [
    ["default mix, all hosts collected", { seed: 1, persons: 3000, hosts: HOSTS }],
    [
      "one host not collected: its stale rows stay, its persons vanish",
      { seed: 2, persons: 3000, hosts: HOSTS, collectedHosts: HOSTS.slice(0, 2) },
    ],
    ["no drift", { seed: 3, persons: 2000, hosts: HOSTS, drift: false }],
    [
      "identities in organization IdPs",
      { seed: 4, persons: 2000, hosts: HOSTS, identityOrgs: ["acme-eng", "acme-ops"] },
    ],
    [
      "heavy noise",
      {
        seed: 5,
        persons: 2000,
        hosts: HOSTS,
        noise: { multiHost: 0.9, suspendedExtra: 0.3, noEmailExtra: 0.2, unlinkedIdentity: 1 },
      },
    ],
    ["single host", { seed: 6, persons: 1000, hosts: ["ghes-only.corp.example"] }],
    ["no hosts at all", { seed: 7, persons: 500, hosts: [] }],
  ];

  test.each(cases)("%s", (_name, options) => {
    const ds = createDataset(options);
    expect(referenceTotals(ds)).toEqual(ds.expected);
  });

  test("the totals hold together: unique = cloud + server-only, cloud = rows - replaced", () => {
    const ds = createDataset({ seed: 9, persons: 4000, hosts: HOSTS });
    const e = ds.expected;
    expect(e.uniqueUsers).toBe(e.cloudUsers + e.serverOnlyUsers);
    expect(e.cloudUsers).toBe(e.totalSeatsConsumed - e.replacedCloudRows);
    expect(e.totalSeatsConsumed).toBe(ds.consumedLicenseCount);
    expect([...ds.consumedLicenseRows()]).toHaveLength(e.totalSeatsConsumed);
    // Every stale server-only row of a collected host is replaced, and only those.
    expect(e.replacedCloudRows).toBe(ds.categoryCounts.serverOnlyFresh);
    // Matched persons are the matched categories, one to one.
    expect(e.matchedBy).toEqual({
      samlIdentity: ds.categoryCounts.matchedSamlIdentity,
      samlNameId: ds.categoryCounts.matchedSamlNameId,
      verifiedDomainEmail: ds.categoryCounts.matchedVerifiedDomainEmail,
      linkedServerEmail: ds.categoryCounts.matchedLinkedServerEmail,
      visualStudioEmail: ds.categoryCounts.matchedVisualStudio,
    });
    const noEmailAccounts = HOSTS.flatMap((h) => [...ds.ghesAccounts(h)]).filter(
      (r) => r.email === "" && r.login.startsWith("svc-build-"),
    ).length;
    expect(noEmailAccounts).toBeGreaterThan(0);
    expect(e.serverOnlyUsers).toBe(
      ds.categoryCounts.serverOnlyFresh +
        ds.categoryCounts.serverOnlyUnsynced +
        ds.categoryCounts.doubleCounted +
        noEmailAccounts,
    );
  });

  test("a host left out of the run turns its stale rows into kept cloud users matched by linked email", () => {
    const all = createDataset({ seed: 2, persons: 3000, hosts: HOSTS });
    const partial = createDataset({ seed: 2, persons: 3000, hosts: HOSTS, collectedHosts: HOSTS.slice(0, 2) });
    expect(partial.expected.replacedCloudRows).toBeLessThan(all.expected.replacedCloudRows);
    expect(partial.expected.cloudUsers).toBeGreaterThan(all.expected.cloudUsers);
    expect(Object.keys(partial.expected.perHost)).toEqual(HOSTS.slice(0, 2));
  });
});
