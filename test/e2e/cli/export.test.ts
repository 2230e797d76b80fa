import { readFileSync, createReadStream } from "node:fs";
import path from "node:path";
import { readUsageFile } from "../../../src/collect/usage-file/usage-file.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { licenseSyncAsync } from "../../support/cli.js";
import { HOSTS, SECRET, startSimEnterprise } from "../../support/sim-enterprise.js";

type Enterprise = Awaited<ReturnType<typeof startSimEnterprise>>;

describe("license-sync export against the simulator", () => {
  let e: Enterprise;
  beforeAll(async () => {
    e = await startSimEnterprise({ persons: 800 });
  });
  afterAll(() => e.sim.close());

  it("writes a usage file with every account, keyed with the app's secret and no clear email", async () => {
    const out = path.join(e.dir, "ghes-b.json");
    const { code, stderr } = await licenseSyncAsync(
      [
        "export",
        "--server-url",
        e.sim.serverUrl(HOSTS[1]!),
        "--hostname",
        HOSTS[1]!,
        "--token-env",
        "GHES_B_TOKEN",
        "--out",
        out,
      ],
      e.env,
    );
    expect(stderr).toContain(`Wrote ${e.dataset.expected.perHost[HOSTS[1]!]!.accounts} accounts of ${HOSTS[1]}`);
    expect(code).toBe(0);
    const keyId = createEmailProtector({ secret: SECRET }).keyId;
    const { collection } = await readUsageFile(createReadStream(out), {
      source: out,
      keyId,
      expectedHostname: HOSTS[1],
    });
    expect(collection).toMatchObject({
      accountCount: e.dataset.expected.perHost[HOSTS[1]!]!.accounts,
      billableAccounts: e.dataset.expected.perHost[HOSTS[1]!]!.billableAccounts,
    });
    const emails = [...e.dataset.ghesAccounts(HOSTS[1]!)].map((row) => row.email.trim().toLowerCase()).filter(Boolean);
    const text = readFileSync(out, "utf8").toLowerCase();
    expect(emails.some((email) => text.includes(email))).toBe(false);
  });

  it("exits 2 naming the variable when the token is missing, and writes nothing", async () => {
    const out = path.join(e.dir, "never.json");
    const { code, stderr } = await licenseSyncAsync(
      ["export", "--server-url", e.sim.serverUrl(HOSTS[1]!), "--token-env", "NOT_SET_ANYWHERE", "--out", out],
      e.env,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/NOT_SET_ANYWHERE: is not set or empty/);
    expect(() => readFileSync(out)).toThrow();
  });

  it("exits 2 naming the variable when the token has a line break inside, without quoting it", async () => {
    const out = path.join(e.dir, "never-broken.json");
    const { code, stderr } = await licenseSyncAsync(
      ["export", "--server-url", e.sim.serverUrl(HOSTS[1]!), "--token-env", "BROKEN_TOKEN", "--out", out],
      { ...e.env, BROKEN_TOKEN: "ghp_secretpart\nsecondline" },
    );
    expect(stderr).toMatch(/BROKEN_TOKEN: is not one word of printable ASCII/);
    expect(stderr).not.toContain("secretpart");
    expect(code).toBe(2);
  });

  it("exits 2 naming the scope when the token is not a site administrator's", async () => {
    const out = path.join(e.dir, "never2.json");
    const { code, stderr } = await licenseSyncAsync(
      [
        "export",
        "--server-url",
        e.sim.serverUrl(HOSTS[1]!),
        "--hostname",
        HOSTS[1]!,
        "--token-env",
        "GHEC_TOKEN",
        "--out",
        out,
      ],
      e.env,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/site_admin|site administrator/);
  });
});
