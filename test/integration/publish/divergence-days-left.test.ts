import { publishRun } from "../../../src/publish/publish-run.js";
import { detectDivergences } from "../../../src/reconcile/divergences/index.js";
import { instance, repoConfig, runRecord, smallReport, syncOk } from "../../support/record.js";
import { openWithLabel, startHarness, type Harness } from "./harness.js";

/**
 * A GHES license without an expiry date gives only its days left, one fewer every day. Daily runs
 * with the same license must keep the one divergence issue as it is: no "figures changed" comment.
 * The clock is the run's: each run detects at its own `now` and publishes with that day.
 */
const LABEL = "license-sync:divergence";
const A = "ghes-a.corp.example";
const DAY = 86_400_000;
const FIRST = Date.parse("2026-11-24T06:00:00.000Z");

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** The run of day `day` (0 = the first): detection and publication at that day's clock. */
async function runOnDay(day: number) {
  const now = new Date(FIRST + day * DAY);
  const license = { ...instance(A).license!, seats: 200, expiresAt: null, daysUntilExpiration: 12 - day };
  const instances = [instance(A, { license, collectedAt: now.toISOString() })];
  const report = smallReport({
    purchased: 200,
    consumed: 96,
    servers: [{ hostname: A, accounts: 40, billableAccounts: 36, persons: 35, matchedToCloud: 30, serverOnly: 5 }],
  });
  const cloudRows = Array.from({ length: 36 }, (_, id) => ({ serverUserIds: [{ hostname: A, id }] }));
  report.divergences = detectDivergences({
    report,
    run: { syncStatus: [syncOk(A, now.toISOString())], instances, cloudRows, collectedHosts: [A], now },
  });
  const record = runRecord(report, {
    runId: `run-day-${day}`,
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    instances,
    syncStatus: [syncOk(A, now.toISOString())],
  });
  return publishRun(record, h.target({ config: repoConfig() }));
}

test("two runs on consecutive days with the same license post no figures-changed comment", async () => {
  const first = await runOnDay(0);
  expect(first.divergenceIssues).toEqual([expect.objectContaining({ kind: "license-expiring", action: "created" })]);
  const [opened] = openWithLabel(h.issues(), LABEL);
  expect(opened?.body).toContain("expires in 12 days");

  const second = await runOnDay(1);
  expect(second.divergenceIssues).toEqual([
    expect.objectContaining({ kind: "license-expiring", number: opened!.number }),
  ]);
  const [issue] = openWithLabel(h.issues(), LABEL);
  expect(issue?.number).toBe(opened!.number);
  expect(issue?.comments).toEqual([]);
  expect(issue?.body).toContain("figures last changed in run `run-day-0`");
  // The sentence still tells the day count of the latest run.
  expect(issue?.body).toContain("expires in 11 days");
});
