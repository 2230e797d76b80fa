import { licenseSyncAsync } from "../../support/cli.js";
import { startSimEnterprise } from "../../support/sim-enterprise.js";

type Enterprise = Awaited<ReturnType<typeof startSimEnterprise>>;

/**
 * The App's collection path (`sync` runs the worker's pipeline) on GitHub's list as GHE.com
 * writes it, and on a list that holds fewer rows than `total_seats_consumed`.
 */
describe("sync reads GitHub's consumed-licenses list as it comes", () => {
  let e: Enterprise;
  beforeAll(async () => {
    e = await startSimEnterprise({ persons: 800, seatsPurchased: 1000 });
  });
  afterAll(() => e.sim.close());
  beforeEach(() => {
    e.sim.reset();
    e.sim.context.faults = {};
  });

  it("GHE.com (data residency) keys: the generator's expected totals, nobody counted twice", async () => {
    e.sim.context.faults = { dataResidencyKeys: true };
    const { code, stdout, stderr } = await licenseSyncAsync(
      ["sync", "--config", e.configPath, "--dry-run", "--format", "json"],
      e.env,
    );
    expect(stderr).not.toMatch(/failed/);
    expect(code).toBe(0);
    const { totals } = JSON.parse(stdout);
    const { expected } = e.dataset;
    expect(totals).toMatchObject({
      uniqueUsers: expected.uniqueUsers,
      cloudUsers: expected.cloudUsers,
      serverOnlyUsers: expected.serverOnlyUsers,
      matchedBy: expected.matchedBy,
      partial: false,
    });
    const served = e.sim.requests.filter((r) => r.route === "GET /enterprises/{enterprise}/consumed-licenses");
    expect(served.length).toBeGreaterThan(0);
  });

  it("a list short of total_seats_consumed is published marked partial, never as complete", async () => {
    e.sim.context.faults = { missingConsumedLicenseRows: 7 };
    const dry = await licenseSyncAsync(["sync", "--config", e.configPath, "--dry-run", "--format", "json"], e.env);
    expect(dry.code).toBe(0);
    const { totals } = JSON.parse(dry.stdout);
    expect(totals).toMatchObject({
      partial: true,
      cloudRowsRead: e.dataset.consumedLicenseCount - 7,
      seatsConsumedReported: e.dataset.consumedLicenseCount,
    });

    const run = await licenseSyncAsync(["sync", "--config", e.configPath], e.env);
    expect(run.code).toBe(0);
    const summary = e.sim
      .repo("acme", "license-admin")
      .issues.find((i) => /^License usage \d{4}-W\d{2}$/.test(i.title));
    expect(summary?.body).toContain(
      `> [!WARNING]\n> PARTIAL: GitHub's consumed-licenses list held ${e.dataset.consumedLicenseCount - 7} of ${e.dataset.consumedLicenseCount} rows`,
    );
  });
});
