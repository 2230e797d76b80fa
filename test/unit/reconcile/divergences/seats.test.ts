import { detectDivergences } from "../../../../src/reconcile/divergences/index.js";
import type { ReconcileInput, Report } from "../../../../src/shared/report.js";
import { reconcile } from "../../../../src/reconcile/reconcile.js";
import { account, cloud, ghecUser } from "../../../support/builders.js";

const A = "ghes-a.example";

/** An offline run: the engine, then the divergence stage with no run facts (seat kinds, default thresholds). */
function seatsOf(input: ReconcileInput): Report {
  const report = reconcile(input);
  return { ...report, divergences: detectDivergences({ report }) };
}

test("the engine leaves divergences to the divergence stage", () => {
  const report = reconcile({
    collectedHosts: [A],
    serverAccounts: [],
    cloud: cloud([ghecUser("c")], { purchased: 1 }),
  });
  expect(report.divergences).toEqual([]);
  expect(detectDivergences({ report }).map((d) => d.kind)).toEqual(["near-limit"]);
});

describe("divergences from one run", () => {
  const twoUsers = [account(A, 1, "a", "a@corp.example"), account(A, 2, "b", "b@corp.example")];
  it("over-consumed when our unique count passes the purchased seats", () => {
    const report = seatsOf({
      collectedHosts: [A],
      serverAccounts: twoUsers,
      cloud: cloud([ghecUser("c")], { purchased: 2 }),
    });
    expect(report.divergences.map((d) => d.kind)).toEqual(["over-consumed", "unique-count-mismatch"]);
    expect(report.divergences[0]!.figures).toMatchObject({ over: 1, purchased: 2 });
  });
  it("near-limit at the threshold, not below", () => {
    const rows = Array.from({ length: 9 }, (_, i) => ghecUser(`u${i}`));
    expect(
      seatsOf({ collectedHosts: [A], serverAccounts: [], cloud: cloud(rows, { purchased: 10 }) }).divergences.map(
        (d) => d.kind,
      ),
    ).toEqual(["near-limit"]);
    expect(
      seatsOf({ collectedHosts: [A], serverAccounts: [], cloud: cloud(rows.slice(1), { purchased: 10 }) }).divergences,
    ).toEqual([]);
    expect(
      detectDivergences({
        report: reconcile({ collectedHosts: [A], serverAccounts: [], cloud: cloud(rows.slice(1), { purchased: 10 }) }),
        thresholds: { utilizationWarning: 0.8 },
      }).map((d) => d.kind),
    ).toEqual(["near-limit"]);
  });
  it("unique-count-mismatch beyond the tolerance only", () => {
    const input = { collectedHosts: [A], serverAccounts: twoUsers, cloud: cloud([ghecUser("c")], { purchased: 100 }) };
    expect(seatsOf(input).divergences.find((d) => d.kind === "unique-count-mismatch")?.figures).toMatchObject({
      difference: 2,
      serverOnlyUsers: 2,
    });
    expect(detectDivergences({ report: reconcile(input), thresholds: { uniqueCountTolerance: 2 } })).toEqual([]);
  });
  it("no seat divergences when GitHub does not report purchased seats", () => {
    const report = seatsOf({
      collectedHosts: [A],
      serverAccounts: [],
      cloud: cloud([ghecUser("c")], { purchased: null }),
    });
    expect(report.divergences).toEqual([]);
  });
});
