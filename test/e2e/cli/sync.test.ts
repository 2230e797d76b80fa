import { writeFileSync } from "node:fs";
import path from "node:path";
import { writeDatasetFiles } from "../../sim/dataset.js";
import { licenseSyncAsync } from "../../support/cli.js";
import { HOSTS, TOKENS, deploymentYaml, startSimEnterprise } from "../../support/sim-enterprise.js";
import { freePort } from "../../support/ports.js";

type Enterprise = Awaited<ReturnType<typeof startSimEnterprise>>;

describe("license-sync sync against the simulator", () => {
  let e: Enterprise;
  beforeAll(async () => {
    e = await startSimEnterprise();
  });
  afterAll(() => e.sim.close());
  beforeEach(() => e.sim.reset());
  /** Requests that collect (consumed licenses, users, reports): none may happen before the checks pass. */
  const collectionRequests = () =>
    e.sim.requests.filter((r) => /consumed-licenses|all_users|\/users\b|graphql/.test(r.path)).map((r) => r.path);

  it("prints the same totals as `report` on the same data, and the generator's expected totals", async () => {
    const sync = await licenseSyncAsync(["sync", "--config", e.configPath, "--dry-run", "--format", "json"], e.env);
    expect(sync.stderr).not.toMatch(/failed/);
    expect(sync.code).toBe(0);
    const synced = JSON.parse(sync.stdout);

    const files = await writeDatasetFiles(e.dataset, path.join(e.dir, "files"));
    const report = await licenseSyncAsync([
      "report",
      "--format",
      "json",
      "--cloud",
      files.cloud,
      "--identities",
      files.identities,
      ...HOSTS.flatMap((h) => ["--server", `${h}=${files.servers[h]}`]),
    ]);
    expect(report.code).toBe(0);
    const offline = JSON.parse(report.stdout);

    const { replacedCloudRows, ...totals } = synced.totals;
    expect(synced.totals).toEqual(offline.totals);
    expect(totals).toMatchObject({
      uniqueUsers: e.dataset.expected.uniqueUsers,
      cloudUsers: e.dataset.expected.cloudUsers,
      serverOnlyUsers: e.dataset.expected.serverOnlyUsers,
      matchedBy: e.dataset.expected.matchedBy,
    });
    expect(replacedCloudRows).toBe(e.dataset.expected.replacedCloudRows);
    expect(synced.servers).toEqual(offline.servers);
  });

  it("in a dry run writes nothing to GitHub and says what it would post", async () => {
    const { code, stdout } = await licenseSyncAsync(["sync", "--config", e.configPath, "--dry-run"], e.env);
    expect(code).toBe(0);
    expect(stdout).toContain("Would post (dry run, nothing was written):");
    const writes = e.sim.requests.filter(
      (r) => r.method !== "GET" && !(r.method === "POST" && r.path.endsWith("/graphql")),
    );
    expect(writes).toEqual([]);
    expect(e.sim.repo("acme", "license-admin").issues).toHaveLength(0);
  });

  it("never sends a clear email or a token anywhere it prints", async () => {
    const { stdout, stderr } = await licenseSyncAsync(
      ["sync", "--config", e.configPath, "--dry-run", "--format", "markdown"],
      { ...e.env, LOG_LEVEL: "debug" },
    );
    const someEmail = [...e.dataset.ghesAccounts(HOSTS[0]!)].find((row) => row.email.trim() !== "")!.email.trim();
    expect(`${stdout}${stderr}`.toLowerCase()).not.toContain(someEmail.toLowerCase());
    for (const token of Object.values(e.env))
      if (token.startsWith("ghp-")) expect(`${stdout}${stderr}`).not.toContain(token);
  });

  it("exits 2 naming the key for a bad config", async () => {
    const bad = path.join(e.dir, "bad.yml");
    writeFileSync(
      bad,
      deploymentYaml(e.sim).replace("adminRepository: acme/license-admin", "adminRepository: not-a-repo"),
    );
    const { code, stderr } = await licenseSyncAsync(["sync", "--config", bad, "--dry-run"], e.env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yml, adminRepository: expected owner\/name/);
  });

  it("exits 2 naming limits.usageFileMegabytes for a usage file over the limit, before reading it", async () => {
    const file = path.join(e.dir, "ghes-b.json");
    writeFileSync(file, " ".repeat(2 * 1024 * 1024));
    const config = path.join(e.dir, "limited.yml");
    const servers = `  - hostname: ${HOSTS[0]}\n    url: ${e.sim.serverUrl(HOSTS[0]!)}\n    token: \${GHES_A_TOKEN}\n  - hostname: ${HOSTS[1]}\n    usageFile: ${file}`;
    writeFileSync(config, `${deploymentYaml(e.sim, { servers })}limits:\n  usageFileMegabytes: 1\n`);
    const { code, stderr } = await licenseSyncAsync(["sync", "--config", config, "--dry-run"], e.env);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "ghes-b.json: is 2.0 MB, over the 1 MB limit for usage files. If the file is genuine, raise limits.usageFileMegabytes in the deployment config",
    );
  });

  it("exits 2 naming the line of a broken --repo-config", async () => {
    const repoConfig = path.join(e.dir, "license-sync.yml");
    writeFileSync(repoConfig, "schedule:\n  cron: [unclosed\n");
    const { code, stderr } = await licenseSyncAsync(
      ["sync", "--config", e.configPath, "--repo-config", repoConfig, "--dry-run"],
      e.env,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/license-sync\.yml, line \d+: invalid YAML/);
  });

  it("exits 2 when a ${VAR} is not set, naming the key and the variable", async () => {
    const { code, stderr } = await licenseSyncAsync(["sync", "--config", e.configPath, "--dry-run"], {
      ...e.env,
      GHES_B_TOKEN: undefined as unknown as string,
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/servers\[1\]\.token: environment variable GHES_B_TOKEN is not set/);
  });

  it("exits 1 naming servers[i].url when a GHES is unreachable, before collecting anything", async () => {
    const port = await freePort();
    const unreachable = path.join(e.dir, "unreachable.yml");
    writeFileSync(
      unreachable,
      deploymentYaml(e.sim, {
        servers: `  - hostname: ${HOSTS[0]}\n    url: http://127.0.0.1:${port}\n    token: \${GHES_A_TOKEN}`,
      }),
    );
    const { code, stderr } = await licenseSyncAsync(["sync", "--config", unreachable, "--dry-run"], e.env);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `license-sync sync failed: cannot reach the host of servers\\[0\\]\\.url \\(127\\.0\\.0\\.1:${port}\\): .*ECONNREFUSED.*Check servers\\[0\\]\\.url`,
      ),
    );
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(collectionRequests()).toEqual([]);
  });

  it("exits 1 naming cloud.apiUrl when GitHub's API is unreachable", async () => {
    const port = await freePort();
    const unreachable = path.join(e.dir, "unreachable-cloud.yml");
    writeFileSync(
      unreachable,
      deploymentYaml(e.sim).replace(`apiUrl: ${e.sim.url}`, `apiUrl: http://127.0.0.1:${port}`),
    );
    const { code, stderr } = await licenseSyncAsync(["sync", "--config", unreachable, "--dry-run"], e.env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot reach the host of cloud\.apiUrl .*ECONNREFUSED/);
  });

  it("names the key a typo meant instead of the key it made missing", async () => {
    const typo = path.join(e.dir, "typo.yml");
    writeFileSync(typo, deploymentYaml(e.sim).replace("adminRepository:", "adminRepo:"));
    const { code, stderr } = await licenseSyncAsync(["sync", "--config", typo, "--dry-run"], e.env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/typo\.yml, adminRepo: is not a known key \(did you mean adminRepository\?\)/);
  });

  it("accepts a servers[].url given as the REST root (/api/v3)", async () => {
    const restRoot = path.join(e.dir, "rest-root.yml");
    writeFileSync(
      restRoot,
      deploymentYaml(e.sim).replace(`url: ${e.sim.serverUrl(HOSTS[0]!)}`, `url: ${e.sim.serverUrl(HOSTS[0]!)}/api/v3/`),
    );
    const { code, stderr } = await licenseSyncAsync(
      ["sync", "--config", restRoot, "--dry-run", "--format", "json"],
      e.env,
    );
    expect(stderr).not.toMatch(/failed|error|warning/i);
    expect(code).toBe(0);
    expect(e.sim.requests.some((r) => r.path.includes("/api/v3/api/v3"))).toBe(false);
  });

  describe("token scopes, checked before anything is collected", () => {
    const withCloudScopes = async (scopes: string[], run: () => Promise<void>) => {
      const pats = e.sim.context.tokens.pats;
      const original = pats.get(TOKENS.GHEC_TOKEN)!;
      pats.set(TOKENS.GHEC_TOKEN, { ...original, scopes });
      try {
        await run();
      } finally {
        pats.set(TOKENS.GHEC_TOKEN, original);
      }
    };

    it("exits 2 when cloud.token writes the admin repository without repo, naming the scope and the feature", () =>
      withCloudScopes(["read:enterprise", "admin:enterprise"], async () => {
        const { code, stderr } = await licenseSyncAsync(["sync", "--config", e.configPath, "--dry-run"], e.env);
        expect(code).toBe(2);
        expect(stderr).toMatch(
          /deployment config, cloud\.token: cloud\.token lacks repo \(writing issues and history to adminRepository \(acme\/license-admin\) without App credentials\)/,
        );
        expect(collectionRequests()).toEqual([]);
      }));

    it("warns above the report and notes in the summary what a missing optional scope degrades", () =>
      withCloudScopes(["read:enterprise", "repo"], async () => {
        const { code, stdout, stderr } = await licenseSyncAsync(
          ["sync", "--config", e.configPath, "--dry-run", "--format", "json"],
          e.env,
        );
        expect(code).toBe(0);
        expect(stderr).toMatch(/cloud\.token lacks admin:enterprise: the enterprise's verified domains/);
        const output = JSON.parse(stdout) as { warnings: string[]; publish: { posts: Array<{ body?: string }> } };
        expect(output.warnings).toEqual([
          expect.stringMatching(/^cloud\.token lacks admin:enterprise: the enterprise's verified domains/),
        ]);
        expect(
          output.publish.posts.some((post) =>
            /Degraded: cloud\.token lacks admin:enterprise: the enterprise's verified domains/.test(post.body ?? ""),
          ),
        ).toBe(true);
      }));
  });

  it("exits 2 naming adminRepository when it does not exist, before collecting anything", async () => {
    const missing = path.join(e.dir, "missing-repo.yml");
    writeFileSync(
      missing,
      deploymentYaml(e.sim).replace("adminRepository: acme/license-admin", "adminRepository: acme/no-such-repo"),
    );
    const { code, stderr } = await licenseSyncAsync(["sync", "--config", missing, "--dry-run"], e.env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/deployment config, adminRepository: GitHub answered 404 for acme\/no-such-repo/);
    expect(collectionRequests()).toEqual([]);
  });
});
