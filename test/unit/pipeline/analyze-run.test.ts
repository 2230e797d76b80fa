import { describe, expect, it } from "@jest/globals";
import { DEFAULT_REPOSITORY_CONFIG } from "../../../src/config/index.js";
import { analyzeRun } from "../../../src/pipeline/pipeline.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import type { CloudCollection, CloudLicense, ServerAccount } from "../../../src/shared/index.js";

const protector = createEmailProtector({ secret: "analyze-run-test" });

const license: CloudLicense = {
  index: 0,
  login: "mona",
  serverUserIds: [],
  githubComUser: true,
  enterpriseServerUser: false,
  visualStudioUser: false,
  samlNameId: null,
  verifiedDomainEmails: [],
  serverEmails: [],
  visualStudioEmail: null,
  handleKeys: [],
};

function account(id: number, email: string): ServerAccount {
  return {
    hostname: "ghes-a.corp.example",
    id,
    handleKeys: [],
    primaryEmail: protector.protect(email),
    suspended: false,
    dormant: false,
    siteAdmin: false,
    licensable: true,
  };
}

function cloudCollection(): CloudCollection {
  return {
    usage: { seatsConsumed: 1, seatsPurchased: 10, licenses: [license], verifiedEmailDomains: [] },
    syncStatus: [],
    // Mona's SAML identity carries the address her server account uses: only it merges the two.
    identities: [{ login: "mona", emailKeys: [protector.key("Mona.Lisa@corp.example")!], handleKeys: [] }],
    verifiedDomains: ["corp.example"],
    requests: 1,
    totalsChangedMidRun: false,
    durationMs: 1,
  };
}

describe("analyzeRun", () => {
  it("merges by the identities, then lets go of the collection's list of them (the engine's lookups hold what it needs)", async () => {
    const cloud = cloudCollection();
    const record = await analyzeRun({
      runId: "run-1",
      trigger: "command",
      enterprise: "acme",
      startedAt: "2026-12-03T00:00:00.000Z",
      repoConfig: DEFAULT_REPOSITORY_CONFIG,
      servers: [
        {
          hostname: "ghes-a.corp.example",
          accounts: [account(1, "mona.lisa@corp.example"), account(2, "hubot@corp.example")],
          accountCount: 2,
          collectedAt: "2026-12-03T00:00:00.000Z",
          license: null,
          stats: null,
          billableAccounts: 2,
          seatsUsedDifference: null,
          durationMs: 1,
          requests: 1,
          source: "api",
        },
      ],
      cloud,
      now: new Date("2026-12-03T00:01:00.000Z"),
    });
    expect(record.report.totals.matchedBy.samlIdentity).toBe(1);
    expect(record.report.totals.uniqueUsers).toBe(2);
    expect(cloud.identities).toEqual([]);
  });
});
