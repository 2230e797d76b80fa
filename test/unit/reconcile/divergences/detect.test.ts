import type { SyncStatus } from "../../../../src/shared/collection.js";
import type { InstanceFacts } from "../../../../src/shared/run.js";
import {
  countRowsPerHost,
  detectDivergences,
  type DetectDivergencesInput,
  type RunFacts,
} from "../../../../src/reconcile/divergences/index.js";
import { UNMERGED_REASONS, type CloudLicense, type DivergenceKind } from "../../../../src/shared/report.js";
import { instance, smallReport, syncOk } from "../../../support/record.js";

const NOW = new Date("2026-11-24T06:00:00.000Z");
const DAY = 86_400_000;
const A = "ghes-a.corp.example";
const B = "ghes-b.corp.example";

/** GitHub rows naming hosts: `rows(A, 36)` is 36 rows of A. */
function rows(...spec: Array<[string, number]>): Array<Pick<CloudLicense, "serverUserIds">> {
  return spec.flatMap(([hostname, n]) => Array.from({ length: n }, (_, id) => ({ serverUserIds: [{ hostname, id }] })));
}

/** One run's inputs, flat: the report, the run's facts, the config's thresholds. */
type Scenario = Omit<DetectDivergencesInput, "run"> &
  Omit<RunFacts, "cloudRows" | "now"> & { cloud: { licenses: RunFacts["cloudRows"] } };

/** A run where nothing diverges: 96 unique users = 96 consumed, 200 purchased, fresh syncs, matching rows. */
function calm(overrides: Partial<Scenario> = {}): Scenario {
  return {
    report: smallReport({ purchased: 200, consumed: 96 }),
    syncStatus: [syncOk(A), syncOk(B)],
    instances: [
      instance(A, { license: { ...instance(A).license!, seats: 200 } }),
      instance(B, { license: { ...instance(B).license!, seats: 200 } }),
    ],
    cloud: { licenses: rows([A, 36], [B, 10]) },
    collectedHosts: [A, B],
    ...overrides,
  };
}
/** The stage on one scenario, at `NOW`. */
function detect({ report, thresholds, seatsPurchased, syncStatus, instances, cloud, collectedHosts }: Scenario) {
  return detectDivergences({
    report,
    thresholds,
    seatsPurchased,
    run: { syncStatus, instances, cloudRows: cloud.licenses, collectedHosts, now: NOW },
  });
}
const kinds = (input: Scenario, kind: DivergenceKind) => detect(input).filter((d) => d.kind === kind);

test("a calm run has no divergence", () => {
  expect(detect(calm())).toEqual([]);
});

test("the instance facts the app collects satisfy the input as they are", () => {
  const status: SyncStatus[] = [syncOk(A)];
  const facts: InstanceFacts[] = [instance(A)];
  expect(() => detect(calm({ syncStatus: status, instances: facts }))).not.toThrow();
});

describe("over-consumed", () => {
  test("appears one seat over purchased (GitHub's count or ours), not at purchased", () => {
    expect(kinds(calm({ seatsPurchased: 96 }), "over-consumed")).toEqual([]);
    const [over] = kinds(calm({ seatsPurchased: 95 }), "over-consumed");
    expect(over).toMatchObject({
      severity: "critical",
      figures: { purchased: 95, over: 1, uniqueUsers: 96, consumedReported: 96 },
    });
    const report = smallReport({ purchased: 200, consumed: 201 });
    expect(kinds(calm({ report }), "over-consumed")[0]?.figures).toMatchObject({ consumedReported: 201, over: 1 });
  });
  test("input seatsPurchased overrides the report's; unknown purchased seats raise nothing", () => {
    expect(kinds(calm({ report: smallReport({ purchased: null, consumed: 96 }) }), "over-consumed")).toEqual([]);
    expect(
      kinds(calm({ report: smallReport({ purchased: null, consumed: 96 }), seatsPurchased: 90 }), "over-consumed"),
    ).toHaveLength(1);
  });
});

describe("near-limit", () => {
  test("appears at utilizationWarning, not below; default 0.9", () => {
    expect(kinds(calm({ seatsPurchased: 120, thresholds: { utilizationWarning: 0.8 } }), "near-limit")).toHaveLength(1); // 96/120 = 0.8
    expect(kinds(calm({ seatsPurchased: 120, thresholds: { utilizationWarning: 0.81 } }), "near-limit")).toEqual([]);
    expect(kinds(calm({ seatsPurchased: 106 }), "near-limit")[0]).toMatchObject({
      severity: "warning",
      figures: { purchased: 106, consumed: 96, available: 10 },
    }); // 0.906
    expect(kinds(calm({ seatsPurchased: 107 }), "near-limit")).toEqual([]); // 0.897
  });
  test("gives way to over-consumed above purchased", () => {
    const found = detect(calm({ seatsPurchased: 90 })).map((d) => d.kind);
    expect(found).toContain("over-consumed");
    expect(found).not.toContain("near-limit");
  });
});

describe("unique-count-mismatch", () => {
  test("appears beyond uniqueCountTolerance, not within it, with the accounts that explain the gap", () => {
    const report = smallReport({ purchased: 200, consumed: 93 }); // 96 unique: 3 more
    expect(kinds(calm({ report, thresholds: { uniqueCountTolerance: 3 } }), "unique-count-mismatch")).toEqual([]);
    const [gap] = kinds(calm({ report, thresholds: { uniqueCountTolerance: 2 } }), "unique-count-mismatch");
    expect(gap?.figures).toMatchObject({
      uniqueUsers: 96,
      consumedReported: 93,
      difference: 3,
      serverOnlyUsers: 6,
      replacedCloudRows: 4,
      "reason.noEmail": 1,
      "reason.domainNotVerified": 1,
    });
    // Most frequent first, ties in UNMERGED_REASONS order: the sentence lists them so
    // (test/unit/publish/divergences/sentences.test.ts).
    expect(Object.keys(gap!.figures).filter((key) => key.startsWith("reason."))).toEqual(
      UNMERGED_REASONS.map((reason) => `reason.${reason}`),
    );
  });
  test("default tolerance 0: one user off is a mismatch", () => {
    expect(
      kinds(calm({ report: smallReport({ purchased: 200, consumed: 97 }) }), "unique-count-mismatch")[0]?.figures
        .difference,
    ).toBe(-1);
  });
});

describe("stale-sync (one per instance)", () => {
  const at = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
  test("appears when the last sync is staleSyncDays old (default 8), not a minute younger", () => {
    expect(kinds(calm({ syncStatus: [syncOk(A, at(8 * DAY - 60_000)), syncOk(B)] }), "stale-sync")).toEqual([]);
    const [stale] = kinds(calm({ syncStatus: [syncOk(A, at(8 * DAY)), syncOk(B)] }), "stale-sync");
    expect(stale).toMatchObject({
      subject: A,
      severity: "warning",
      figures: { reason: "stale", lastSync: "2026-11-16", status: "success" },
    });
    expect(
      kinds(calm({ syncStatus: [syncOk(A, at(3 * DAY)), syncOk(B)], thresholds: { staleSyncDays: 3 } }), "stale-sync"),
    ).toHaveLength(1);
  });
  test("a failed sync shows GitHub's error; anything but success is a failure", () => {
    const failed: SyncStatus = {
      ...syncOk(A),
      status: "failure",
      reportedStatus: "failed",
      error: "Upload rejected: license mismatch",
    };
    const [d] = kinds(calm({ syncStatus: [failed, syncOk(B)] }), "stale-sync");
    expect(d).toMatchObject({
      subject: A,
      severity: "critical",
      figures: { reason: "failed", status: "failed", error: "Upload rejected: license mismatch" },
    });
    // Its sentence quotes the error: test/unit/publish/divergences/sentences.test.ts.
    expect(d?.context).toEqual({ ageDays: 1, staleSyncDays: 8 });
  });
  test("a collected instance missing from license-sync-status, and one that never synced", () => {
    const never: SyncStatus = { ...syncOk(B), lastSyncAt: null, status: "failure", reportedStatus: null };
    const found = kinds(calm({ syncStatus: [never] }), "stale-sync");
    expect(found.map((d) => [d.subject, d.figures.reason])).toEqual([
      [A, "missing"],
      [B, "never+failed"],
    ]);
  });
  test("instances GitHub lists but this run did not collect are checked too, one divergence each", () => {
    const found = kinds(
      calm({ syncStatus: [syncOk(A), syncOk(B), syncOk("old.corp.example", at(30 * DAY))] }),
      "stale-sync",
    );
    expect(found.map((d) => [d.subject, d.figures.collected])).toEqual([["old.corp.example", "no"]]);
  });
});

describe("server-count-mismatch (one per collected instance)", () => {
  test("appears beyond serverCountTolerance, not within it", () => {
    // A: 36 billable accounts
    expect(
      kinds(
        calm({ cloud: { licenses: rows([A, 34], [B, 10]) }, thresholds: { serverCountTolerance: 2 } }),
        "server-count-mismatch",
      ),
    ).toEqual([]);
    const [d] = kinds(
      calm({ cloud: { licenses: rows([A, 33], [B, 10]) }, thresholds: { serverCountTolerance: 2 } }),
      "server-count-mismatch",
    );
    expect(d).toMatchObject({ subject: A, figures: { billableAccounts: 36, githubRows: 33, difference: 3 } });
  });
  test("a row naming a host twice counts once; hosts not collected are not compared", () => {
    expect(
      countRowsPerHost([
        {
          serverUserIds: [
            { hostname: A, id: 1 },
            { hostname: A, id: 2 },
            { hostname: B, id: 1 },
          ],
        },
      ]),
    ).toEqual(
      new Map([
        [A, 1],
        [B, 1],
      ]),
    );
    expect(
      kinds(
        calm({ collectedHosts: [A], syncStatus: [syncOk(A)], cloud: { licenses: rows([A, 36]) } }),
        "server-count-mismatch",
      ),
    ).toEqual([]);
  });
});

describe("license-expiring (one per instance)", () => {
  const expiring = (expiresAt: string, seats = 200) =>
    calm({
      instances: [
        instance(A, { license: { ...instance(A).license!, seats, expiresAt } }),
        instance(B, { license: { ...instance(B).license!, seats: 200 } }),
      ],
    });
  test("appears licenseExpiryDays (default 30) before expiry, not a day earlier", () => {
    expect(kinds(expiring(new Date(NOW.getTime() + 31 * DAY).toISOString()), "license-expiring")).toEqual([]);
    const [d] = kinds(expiring(new Date(NOW.getTime() + 30 * DAY).toISOString()), "license-expiring");
    expect(d).toMatchObject({
      subject: A,
      severity: "warning",
      figures: { reason: "expiring", expiresOn: "2026-12-24" },
    });
    expect(kinds(expiring(new Date(NOW.getTime() + 5 * DAY).toISOString()), "license-expiring")[0]?.severity).toBe(
      "critical",
    );
  });
  test("GHES seats that differ from purchased seats; unlimited never differs", () => {
    const [d] = kinds(expiring("2027-06-12T00:00:00.000Z", 150), "license-expiring");
    expect(d).toMatchObject({
      subject: A,
      severity: "notice",
      figures: { reason: "seats", seats: "150", purchased: 200 },
    });
    const unlimited = calm({ instances: [instance(A, { license: { ...instance(A).license!, seats: "unlimited" } })] });
    expect(kinds(unlimited, "license-expiring")).toEqual([]);
  });
  test("falls back to GHES's days_until_expiration without a date, as context: figures stay the same each day", () => {
    // The same license on two consecutive days: GHES counts one day fewer on the second.
    const onDay = (day: number) => {
      const { report, syncStatus, collectedHosts, cloud } = calm();
      const license = { ...instance(A).license!, seats: 200, expiresAt: null, daysUntilExpiration: 30 - day };
      return detectDivergences({
        report,
        run: {
          syncStatus,
          instances: [instance(A, { license })],
          cloudRows: cloud.licenses,
          collectedHosts,
          now: new Date(NOW.getTime() + day * DAY),
        },
      }).filter((d) => d.kind === "license-expiring");
    };
    const [first, second] = [onDay(0), onDay(1)];
    expect(first).toEqual([
      {
        kind: "license-expiring",
        severity: "warning",
        figures: { reason: "expiring", expiresOn: "date not given", seats: "200", purchased: 200 },
        context: { daysLeft: 30, licenseExpiryDays: 30 },
        subject: A,
      },
    ]);
    expect(second[0]?.context).toEqual({ daysLeft: 29, licenseExpiryDays: 30 });
    expect(second[0]?.figures).toEqual(first[0]?.figures);
  });
});

test("divergences come in a stable order: kind, then subject", () => {
  const input = calm({ seatsPurchased: 90, syncStatus: [], report: smallReport({ purchased: 200, consumed: 50 }) });
  expect(detect(input).map((d) => `${d.kind}${d.subject ? `/${d.subject}` : ""}`)).toEqual([
    "over-consumed",
    "unique-count-mismatch",
    `stale-sync/${A}`,
    `stale-sync/${B}`,
    `license-expiring/${A}`,
    `license-expiring/${B}`,
  ]);
});

test("an offline report (no run facts) gets the seat kinds only", () => {
  const { report, seatsPurchased } = calm({
    seatsPurchased: 90,
    report: smallReport({ purchased: 200, consumed: 50 }),
  });
  expect(detectDivergences({ report, seatsPurchased }).map((d) => d.kind)).toEqual([
    "over-consumed",
    "unique-count-mismatch",
  ]);
});
