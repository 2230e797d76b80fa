import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { ROOT, licenseSync } from "../../support/cli.js";

describe("license-sync --help and --version (built bin)", () => {
  it("prints the version from package.json", () => {
    const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const { code, stdout } = licenseSync([flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
    }
  });

  it("lists every command and how to get their options", () => {
    const { code, stdout } = licenseSync(["--help"]);
    expect(code).toBe(0);
    for (const text of [
      "license-sync report",
      "license-sync sync",
      "license-sync export",
      "--repo-config",
      "--hostname",
      "COMMAND --help",
      "--version",
    ])
      expect(stdout).toContain(text);
  });

  it.each([
    [
      "report",
      [
        "--server HOST=FILE",
        "--cloud FILE",
        "--identities FILE",
        "--format",
        "--out FILE",
        "--show-emails",
        "--allow-incomplete",
        "LICENSE_SYNC_REPORT_HEAP_MB",
      ],
    ],
    ["sync", ["--config FILE", "--repo-config FILE", "--dry-run", "--format", "LICENSE_SYNC_SECRET", "repo scope"]],
    ["export", ["--server-url URL", "--token-env VAR", "--out FILE", "--hostname HOST", "--login LOGIN", "site_admin"]],
  ])("%s --help documents every option and exits 0, wherever --help stands", (command, texts) => {
    for (const args of [
      [command, "--help"],
      [command, "-h"],
      [command, "--format", "json", "--help"],
      ["help", command],
    ]) {
      const { code, stdout, stderr } = licenseSync(args);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: license-sync ${command} `));
      for (const text of texts) expect(stdout).toContain(text);
    }
  });

  it("points an unknown option at the command's help", () => {
    const { code, stderr } = licenseSync(["sync", "--confg", "x.yml"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--confg'.*license-sync COMMAND --help/);
  });
});
