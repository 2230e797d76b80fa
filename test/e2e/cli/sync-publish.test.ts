import { licenseSyncAsync } from "../../support/cli.js";
import { startSimEnterprise } from "../../support/sim-enterprise.js";

type Enterprise = Awaited<ReturnType<typeof startSimEnterprise>>;

/**
 * `sync` without --dry-run, end to end on the simulator: the issues an admin reads afterwards.
 * The simulated enterprise has a retired instance whose last sync failed (stale-sync) and fewer
 * purchased seats than users (over-consumed); GitHub's count differs from ours (unique-count-mismatch).
 */
describe("license-sync sync publishes to the admin repository", () => {
  let e: Enterprise;
  beforeAll(async () => {
    e = await startSimEnterprise({ seatsPurchased: 2000 });
  });
  afterAll(() => e.sim.close());

  it("posts the weekly summary, one issue per divergence and a history snapshot; a re-run updates instead of duplicating", async () => {
    const first = await licenseSyncAsync(["sync", "--config", e.configPath], e.env);
    expect(first.stderr).not.toMatch(/failed/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Posted:");
    const repo = () => e.sim.repo("acme", "license-admin");
    const summaries = repo().issues.filter((i) => /^License usage \d{4}-W\d{2}$/.test(i.title));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.labels).toContain("license-sync");
    expect(summaries[0]!.body).toContain(`**${e.dataset.expected.uniqueUsers}**`);
    const divergences = repo().issues.filter((i) => i.labels.includes("license-sync:divergence") && i.state === "open");
    const kinds = divergences.map((i) => /kind=([a-z-]+)/.exec(i.body ?? "")?.[1]).sort();
    expect(kinds).toEqual(expect.arrayContaining(["over-consumed", "stale-sync", "unique-count-mismatch"]));
    expect(
      Object.keys(repo().files()).filter((f) => f.startsWith("license-usage/history/") && f.endsWith(".json")),
    ).toHaveLength(1);

    const second = await licenseSyncAsync(["sync", "--config", e.configPath], e.env);
    expect(second.code).toBe(0);
    expect(repo().issues.filter((i) => /^License usage /.test(i.title))).toHaveLength(1);
    expect(
      repo().issues.filter((i) => i.labels.includes("license-sync:divergence") && i.state === "open"),
    ).toHaveLength(divergences.length);
    expect(
      Object.keys(repo().files()).filter((f) => f.startsWith("license-usage/history/") && f.endsWith(".json")),
    ).toHaveLength(2);
    const everything = JSON.stringify({ ...repo(), files: repo().files() });
    const clearEmail = [...e.dataset.ghesAccounts("ghes-a.corp.example")]
      .find((row) => row.email.trim())!
      .email.trim()
      .toLowerCase();
    expect(everything.toLowerCase()).not.toContain(clearEmail);
  });
});
