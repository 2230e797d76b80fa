import { describe, expect, it } from "@jest/globals";
import { DEFAULT_REPOSITORY_CONFIG } from "../../../src/config/index.js";
import { analyzeRun } from "../../../src/pipeline/pipeline.js";
import type { CloudCollection } from "../../../src/shared/index.js";
import { account, cloud, ghecUser, identity } from "../../support/builders.js";

const HOST = "ghes-a.corp.example";

function cloudCollection(): CloudCollection {
  return {
    usage: cloud([ghecUser("mona")], { purchased: 10 }),
    syncStatus: [],
    // Mona's SAML identity carries the address her server account uses: only it merges the two.
    identities: [identity({ samlIdentity: { nameId: "Mona.Lisa@corp.example" }, user: { login: "mona" } })],
    verifiedDomains: ["corp.example"],
    requests: 1,
    totalsChangedMidRun: false,
    durationMs: 1,
  };
}

describe("analyzeRun", () => {
  it("merges by the identities, then lets go of the collection's list of them (the engine's lookups hold what it needs)", async () => {
    const collection = cloudCollection();
    const record = await analyzeRun({
      runId: "run-1",
      trigger: "command",
      enterprise: "acme",
      startedAt: "2026-12-03T00:00:00.000Z",
      repoConfig: DEFAULT_REPOSITORY_CONFIG,
      servers: [
        {
          hostname: HOST,
          accounts: [
            account(HOST, 1, "mlisa", "mona.lisa@corp.example"),
            account(HOST, 2, "hubot", "hubot@corp.example"),
          ],
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
      cloud: collection,
      now: new Date("2026-12-03T00:01:00.000Z"),
    });
    expect(record.report.totals.matchedBy.samlIdentity).toBe(1);
    expect(record.report.totals.uniqueUsers).toBe(2);
    expect(collection.identities).toEqual([]);
  });
});
