import type { SyncStatus } from "../../../../src/shared/collection.js";
import type { InstanceFacts } from "../../../../src/shared/run.js";
import { detectDivergences, type DivergenceThresholds } from "../../../../src/reconcile/divergences/index.js";
import type { Divergence, Report } from "../../../../src/shared/report.js";
import { instance, person, smallReport, syncOk } from "../../../support/record.js";

const NOW = new Date("2026-11-24T06:00:00.000Z");
const DAY = 86_400_000;
const A = "ghes-a.corp.example";
const B = "ghes-b.corp.example";
const at = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const rows = (...spec: Array<[string, number]>) =>
  spec.flatMap(([hostname, n]) => Array.from({ length: n }, (_, id) => ({ serverUserIds: [{ hostname, id }] })));
const licensed = (hostname: string, license: Partial<NonNullable<InstanceFacts["license"]>>, more = {}) =>
  instance(hostname, { license: { ...instance(hostname).license!, seats: 200, ...license }, ...more });

interface Scenario {
  report?: Report;
  seatsPurchased?: number;
  thresholds?: Partial<DivergenceThresholds>;
  syncStatus?: SyncStatus[];
  instances?: InstanceFacts[];
  licenses?: ReturnType<typeof rows>;
}

/** The stage on a calm run (nothing diverges) changed by `s`. */
function detect(s: Scenario): Divergence[] {
  return detectDivergences({
    report: s.report ?? smallReport({ purchased: 200, consumed: 96 }),
    seatsPurchased: s.seatsPurchased,
    thresholds: s.thresholds,
    run: {
      syncStatus: s.syncStatus ?? [syncOk(A), syncOk(B)],
      instances: s.instances ?? [licensed(A, {}), licensed(B, {})],
      cloudRows: s.licenses ?? rows([A, 36], [B, 10]),
      collectedHosts: [A, B],
      now: NOW,
    },
  });
}

const singular = smallReport({ purchased: 200, consumed: 90, people: [person(1, "noEmail")] });

/** Runs that raise every sentence of every kind, each with what the stage detects. */
export const SCENARIOS: Record<string, () => Divergence[]> = {
  "over-consumed": () => detect({ seatsPurchased: 95 }),
  "over-consumed, GitHub's count": () => detect({ report: smallReport({ purchased: 200, consumed: 201 }) }),
  "near-limit": () => detect({ seatsPurchased: 106 }),
  "near-limit at a configured 80%": () => detect({ seatsPurchased: 120, thresholds: { utilizationWarning: 0.8 } }),
  "unique-count-mismatch, more, by reason": () => detect({ report: smallReport({ purchased: 200, consumed: 93 }) }),
  "unique-count-mismatch, fewer, no server-only persons": () =>
    detect({ report: smallReport({ purchased: 200, consumed: 100, people: [] }) }),
  "unique-count-mismatch, one of each": () =>
    detect({ report: { ...singular, totals: { ...singular.totals, replacedCloudRows: 1 } } }),
  "stale-sync, stale": () => detect({ syncStatus: [syncOk(A, at(8 * DAY)), syncOk(B)] }),
  "stale-sync, failed with an error": () =>
    detect({
      syncStatus: [
        { ...syncOk(A), status: "failure", reportedStatus: "failed", error: "Upload rejected: license mismatch" },
        syncOk(B),
      ],
    }),
  "stale-sync, stale and failed without an error": () =>
    detect({
      syncStatus: [{ ...syncOk(A, at(20 * DAY)), status: "failure", reportedStatus: null, error: null }, syncOk(B)],
    }),
  "stale-sync, missing and never": () =>
    detect({ syncStatus: [{ ...syncOk(B), lastSyncAt: null, status: "failure", reportedStatus: null }] }),
  "stale-sync, not collected": () =>
    detect({ syncStatus: [syncOk(A), syncOk(B), syncOk("old.corp.example", at(30 * DAY))] }),
  "server-count-mismatch, fewer rows": () => detect({ licenses: rows([A, 33], [B, 10]) }),
  "server-count-mismatch, more rows, GHES seats_used differs": () =>
    detect({
      licenses: rows([A, 40], [B, 10]),
      instances: [licensed(A, {}, { seatsUsedDifference: 5 }), licensed(B, {})],
      thresholds: { serverCountTolerance: 1 },
    }),
  "license-expiring, within the warning": () =>
    detect({ instances: [licensed(A, { expiresAt: at(-30 * DAY) }), licensed(B, {})] }),
  "license-expiring, expired": () => detect({ instances: [licensed(A, { expiresAt: at(3 * DAY) }), licensed(B, {})] }),
  "license-expiring, seats differ": () => detect({ instances: [licensed(A, { seats: 150 }), licensed(B, {})] }),
  "license-expiring, expiring and seats differ": () =>
    detect({ instances: [licensed(A, { seats: 150, expiresAt: at(-5 * DAY) }), licensed(B, {})] }),
  "license-expiring, days only": () =>
    detect({ instances: [licensed(A, { expiresAt: null, daysUntilExpiration: 12 }), licensed(B, {})] }),
  "license-expiring, seats differ, expiry unknown": () =>
    detect({
      instances: [licensed(A, { seats: 150, expiresAt: null, daysUntilExpiration: null }), licensed(B, {})],
    }),
};
