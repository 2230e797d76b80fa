import { parseDeploymentConfig, parseWebDeploymentConfig } from "../../../src/config/load-deployment.js";
import { parseRepositoryConfig } from "../../../src/config/load-repository.js";

const yaml = (servers: string) =>
  `enterprise: acme\ncloud:\n  token: \${GHEC_TOKEN}\nadminRepository: acme/license-admin\nservers:\n${servers}`;
const env = { GHEC_TOKEN: "t-cloud", GHES_TOKEN: "t-ghes" };

describe("deployment config", () => {
  it("expands ${VAR}, applies defaults and normalizes hostnames and URLs", () => {
    const config = parseDeploymentConfig(
      yaml(
        "  - hostname: GHES-A.corp.example\n    url: https://ghes-a.corp.example/\n    token: ${GHES_TOKEN}\n  - hostname: ghes-b\n    usageFile: license-usage/uploads/ghes-b.json\n",
      ),
      "c.yml",
      env,
    );
    expect(config.cloud).toEqual({
      apiUrl: "https://api.github.com",
      token: "t-cloud",
      organizations: [],
      concurrency: 8,
    });
    expect(config.servers[0]).toEqual({
      hostname: "ghes-a.corp.example",
      url: "https://ghes-a.corp.example",
      token: "t-ghes",
    });
  });
  it("drops a pasted REST root (/api/v3) from servers[].url: the app appends it itself", () => {
    const config = parseDeploymentConfig(
      yaml("  - hostname: a\n    url: https://ghes-a.corp.example/api/v3/\n    token: t\n"),
      "c.yml",
      env,
    );
    expect(config.servers[0]!.url).toBe("https://ghes-a.corp.example");
    expect(config.collect).toEqual({ reportDeadlineSeconds: 900, pollIntervalSeconds: 5 });
  });
  it.each([
    [
      "a missing variable",
      yaml("  - hostname: a\n    url: https://a\n    token: ${NOPE}\n"),
      /c\.yml, servers\[0\]\.token: environment variable NOPE is not set/,
    ],
    [
      "an unknown key",
      yaml("  - hostname: a\n    usageFile: x.json\n    tokn: y\n"),
      /c\.yml, servers\[0\]\.tokn: is not a known key \(did you mean token\?\)/,
    ],
    [
      "a misspelt top-level key, before the key it makes missing",
      "enterprise: acme\ncloud:\n  token: t\nadminRepo: acme/license-admin\n",
      /c\.yml, adminRepo: is not a known key \(did you mean adminRepository\?\)\. Known keys here: .*adminRepository/,
    ],
    [
      "a missing cloud.token",
      "enterprise: acme\nadminRepository: acme/license-admin\n",
      /c\.yml, cloud: is required, with token \(a classic personal access token of an enterprise owner with read:enterprise/,
    ],
    [
      "a cloud without token",
      "enterprise: acme\ncloud:\n  apiUrl: https://api.github.com\nadminRepository: acme/license-admin\n",
      /c\.yml, cloud\.token: is required: a classic personal access token of an enterprise owner with read:enterprise \(GitHub Apps cannot read enterprise licensing\)/,
    ],
    [
      "url and usageFile together",
      yaml("  - hostname: a\n    url: https://a\n    token: x\n    usageFile: f.json\n"),
      /servers\[0\]\.usageFile: give either url \+ token or usageFile/,
    ],
    ["a url without token", yaml("  - hostname: a\n    url: https://a\n"), /servers\[0\]\.token: is required with url/],
    [
      "a duplicate host",
      yaml("  - hostname: a\n    usageFile: x\n  - hostname: A\n    usageFile: y\n"),
      /servers\[1\]\.hostname: hostname a is listed twice/,
    ],
    [
      "a bad repository",
      "enterprise: acme\ncloud:\n  token: t\nadminRepository: nope\n",
      /c\.yml, adminRepository: expected owner\/name/,
    ],
    ["broken YAML", "enterprise: [acme\n", /c\.yml, line \d+: invalid YAML/],
    ["an empty file", "", /c\.yml: is empty or not a mapping/],
  ])("rejects %s, naming the key", (_name, text, message) => {
    expect(() => parseDeploymentConfig(text, "c.yml", env)).toThrow(message);
  });
});

describe("deployment config tokens", () => {
  const text = yaml("  - hostname: a\n    url: https://a\n    token: ${GHES_TOKEN}\n");
  it("drops the line break and spaces a secret file or a paste leaves around a token", () => {
    const config = parseDeploymentConfig(text, "c.yml", { GHEC_TOKEN: " t-cloud\r\n\n", GHES_TOKEN: "t-ghes\n" });
    expect(config.cloud.token).toBe("t-cloud");
    expect(config.servers[0]!.token).toBe("t-ghes");
  });
  it.each([
    ["a line break inside", { GHEC_TOKEN: "ghp_secret\nsecond", GHES_TOKEN: "t" }, "cloud.token"],
    ["a space inside", { GHEC_TOKEN: "t", GHES_TOKEN: "ghp_secret second" }, "servers[0].token"],
    ["a zero-width space", { GHEC_TOKEN: "ghp_secret\u200b", GHES_TOKEN: "t" }, "cloud.token"],
  ])(
    "refuses a token with %s, naming the key and never quoting the value (an HTTP header would quote it)",
    (_name, tokens, key) => {
      let message = "";
      try {
        parseDeploymentConfig(text, "c.yml", tokens);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(`c.yml, ${key}: `);
      expect(message).toMatch(/one word of printable ASCII/);
      expect(message).not.toContain("secret");
    },
  );
});

describe("deployment config in the web process", () => {
  const text = yaml(
    "  - hostname: a\n    url: https://a\n    token: ${GHES_A_TOKEN}\n  - hostname: b\n    usageFile: b.json\n",
  );
  it("starts without any token variable set, and keeps no token", () => {
    const config = parseWebDeploymentConfig(text, "c.yml", {});
    expect(config).toMatchObject({
      enterprise: "acme",
      adminRepository: "acme/license-admin",
      servers: [
        { hostname: "a", url: "https://a" },
        { hostname: "b", usageFile: "b.json" },
      ],
    });
    expect(JSON.stringify(config)).not.toMatch(/token|GHES_A_TOKEN|GHEC_TOKEN/i);
  });
  it("while workers and the CLI refuse the same file naming the unset variable", () => {
    expect(() => parseDeploymentConfig(text, "c.yml", { GHES_A_TOKEN: "t" })).toThrow(
      /c\.yml, cloud\.token: environment variable GHEC_TOKEN is not set/,
    );
    expect(() => parseDeploymentConfig(text, "c.yml", { GHEC_TOKEN: "t" })).toThrow(
      /c\.yml, servers\[0\]\.token: environment variable GHES_A_TOKEN is not set/,
    );
  });
  it("still expands and checks everything else", () => {
    expect(() => parseWebDeploymentConfig(text.replace("acme/license-admin", "${ADMIN_REPO}"), "c.yml", {})).toThrow(
      /adminRepository: environment variable ADMIN_REPO is not set/,
    );
  });
});

describe("repository config", () => {
  it("uses documented defaults when the file is absent", () => {
    expect(parseRepositoryConfig(null)).toMatchObject({
      schedule: { cron: "0 6 * * 1", timezone: "UTC" },
      thresholds: {
        utilizationWarning: 0.9,
        staleSyncDays: 8,
        uniqueCountTolerance: 0,
        serverCountTolerance: 0,
        licenseExpiryDays: 30,
      },
      labels: { summary: "license-sync", divergence: "license-sync:divergence" },
      commands: { allowRepositoryAdmins: true },
      emails: "masked",
      history: { enabled: true, weeks: 12 },
    });
  });
  it.each([
    [{ schedule: { timezone: "Mars/Olympus" } }, /schedule\.timezone: expected an IANA time zone/],
    [{ schedule: { cron: "weekly" } }, /schedule\.cron: expected a 5-field cron expression/],
    [{ thresholds: { utilizationWarning: 1.5 } }, /thresholds\.utilizationWarning/],
    [{ emails: "clear" }, /emails/],
    [{ servers: [] }, /servers: is not a known key\. Known keys here: schedule, thresholds/],
    [
      { thresholds: { utilisationWarning: 0.8 } },
      /thresholds\.utilisationWarning: is not a known key \(did you mean utilizationWarning\?\)/,
    ],
  ])("rejects %p naming the key", (raw, message) => {
    expect(() => parseRepositoryConfig(raw)).toThrow(message);
  });
});
