import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { readConsumedLicenses } from "../../../src/collect/readers/consumed-licenses.js";
import { readAllUsersCsv } from "../../../src/collect/readers/ghes-csv.js";
import { readExternalIdentitiesJson } from "../../../src/collect/readers/identities-json.js";
import type { ServerAccount } from "../../../src/shared/report.js";
import { detectDivergences } from "../../../src/reconcile/divergences/index.js";
import { reconcile } from "../../../src/reconcile/reconcile.js";
import { protector } from "../../support/builders.js";

const fixture = (path: string) => fileURLToPath(new URL(`../../../fixtures/${path}`, import.meta.url));

async function load(servers: Record<string, string>, cloudFile: string, identitiesFile?: string) {
  const serverAccounts: ServerAccount[] = [];
  for (const [hostname, file] of Object.entries(servers)) {
    for await (const a of readAllUsersCsv(createReadStream(fixture(file)), { hostname, source: file, protector }))
      serverAccounts.push(a);
  }
  const cloud = await readConsumedLicenses(createReadStream(fixture(cloudFile)), { source: cloudFile, protector });
  const identities = identitiesFile
    ? await readExternalIdentitiesJson(createReadStream(fixture(identitiesFile)), { source: identitiesFile, protector })
    : [];
  // As the `report` command does: the engine, then the divergence stage (seat kinds offline).
  const report = reconcile({ collectedHosts: Object.keys(servers), serverAccounts, cloud, identities });
  return { ...report, divergences: detectDivergences({ report }) };
}

describe("fixture built from GitHub's OpenAPI examples", () => {
  it("gives the numbers worked out by hand in fixtures/openapi/README.md", async () => {
    const report = await load(
      {
        "example_host_name.com": "openapi/example_host_name.com.all_users.csv",
        example_host_name: "openapi/example_host_name.all_users.csv",
      },
      "openapi/consumed-licenses.json",
    );
    expect(report.totals).toEqual({
      // GitHub's example is an excerpt: 2 rows of 5000, so the list is partial.
      seatsPurchased: 4500,
      seatsConsumedReported: 5000,
      cloudUsers: 1,
      serverOnlyUsers: 1,
      uniqueUsers: 2,
      replacedCloudRows: 1,
      partial: true,
      completenessChecked: true,
      cloudRowsRead: 2,
      matchedBy: { samlIdentity: 0, samlNameId: 0, verifiedDomainEmail: 1, linkedServerEmail: 0, visualStudioEmail: 0 },
    });
    expect(report.people[0]).toMatchObject({ maskedEmail: "h***@example.com", accounts: ["example_host_name:123"] });
    expect(report.divergences.map((d) => d.kind)).toEqual(["over-consumed", "unique-count-mismatch"]);
  });
});

describe("acme fixture (every rule and reason once)", () => {
  it("gives the numbers worked out by hand in fixtures/acme/README.md", async () => {
    const report = await load(
      { "ghes-a.acme.example": "acme/ghes-a.all_users.csv", "ghes-b.acme.example": "acme/ghes-b.all_users.csv" },
      "acme/consumed-licenses.json",
      "acme/external-identities.json",
    );
    expect(report.totals).toEqual({
      seatsPurchased: 15,
      seatsConsumedReported: 11,
      cloudUsers: 10,
      serverOnlyUsers: 6,
      uniqueUsers: 16,
      replacedCloudRows: 1,
      partial: false,
      completenessChecked: true,
      cloudRowsRead: 11,
      matchedBy: { samlIdentity: 1, samlNameId: 1, verifiedDomainEmail: 1, linkedServerEmail: 1, visualStudioEmail: 1 },
    });
    expect(report.servers).toEqual([
      {
        hostname: "ghes-a.acme.example",
        accounts: 12,
        billableAccounts: 9,
        persons: 9,
        matchedToCloud: 5,
        serverOnly: 4,
      },
      {
        hostname: "ghes-b.acme.example",
        accounts: 3,
        billableAccounts: 3,
        persons: 3,
        matchedToCloud: 1,
        serverOnly: 2,
      },
    ]);
    const reasonOf = Object.fromEntries(report.people.map((p) => [p.accounts.join(" "), p.reason]));
    expect(reasonOf).toEqual({
      "ghes-a.acme.example:8": "noCloudAccount",
      "ghes-a.acme.example:9": "similarCloudAccount",
      "ghes-a.acme.example:10": "noEmail",
      "ghes-a.acme.example:11": "domainNotVerified",
      "ghes-b.acme.example:2": "linkedAccountEmailChanged",
      "ghes-b.acme.example:3": "identityEmailDiffers",
    });
  });
});
