import { describe, expect, it } from "@jest/globals";
import { deploymentConfigSchema } from "../../../src/config/deployment.js";
import { editDistance, knownKeysAt, nearestKey } from "../../../src/shared/nearest-key.js";
import { repositoryConfigSchema } from "../../../src/config/repository.js";

describe("nearest known key", () => {
  it("measures edits case-insensitively", () => {
    expect(editDistance("tokn", "token")).toBe(1);
    expect(editDistance("ApiURL", "apiUrl")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
  });
  it.each([
    ["adminRepo", "adminRepository"],
    ["tokn", "token"],
    ["hostName", "hostname"],
    ["enterprize", "enterprise"],
    ["usagefile", "usageFile"],
  ])("suggests %s -> %s", (typo, meant) => {
    expect(
      nearestKey(typo, [
        "enterprise",
        "cloud",
        "adminRepository",
        "servers",
        "collect",
        "hostname",
        "url",
        "token",
        "login",
        "usageFile",
      ]),
    ).toBe(meant);
  });
  it("suggests nothing for a key unlike any known one", () => {
    expect(nearestKey("proxy", ["enterprise", "cloud", "adminRepository"])).toBeUndefined();
    expect(nearestKey("ab", ["abc", "abd"])).toBe("abc");
  });
  it("finds the keys a schema accepts at a path, through defaults, arrays and refinements", () => {
    expect(knownKeysAt(deploymentConfigSchema, [])).toEqual(
      expect.arrayContaining(["adminRepository", "cloud", "collect", "enterprise", "servers"]),
    );
    expect(knownKeysAt(deploymentConfigSchema, ["servers", 3]).sort()).toEqual([
      "hostname",
      "login",
      "token",
      "url",
      "usageFile",
    ]);
    expect(knownKeysAt(deploymentConfigSchema, ["cloud"]).sort()).toEqual([
      "apiUrl",
      "concurrency",
      "organizations",
      "token",
    ]);
    expect(knownKeysAt(repositoryConfigSchema, ["thresholds"])).toContain("utilizationWarning");
    expect(knownKeysAt(repositoryConfigSchema, ["emails"])).toEqual([]);
  });
});
