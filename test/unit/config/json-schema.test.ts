import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import {
  describeKeys,
  deploymentConfigJsonSchema,
  repositoryConfigJsonSchema,
  SCHEMA_FILES,
  schemaText,
} from "../../../src/config/json-schema.js";

const committed = (file: string) => readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), "utf8");

function validator(schema: object) {
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe("config JSON Schemas", () => {
  it.each(Object.keys(SCHEMA_FILES))(
    "schemas/%s is committed exactly as generated (regenerate: npm run schemas)",
    (file) => {
      expect(committed(file)).toBe(schemaText(SCHEMA_FILES[file]!()));
    },
  );

  it("accept the documented examples and reject unknown keys", () => {
    const repository = validator(repositoryConfigJsonSchema());
    const example = parse(
      "schedule:\n  cron: '0 6 * * 1'\n  timezone: Europe/Berlin\nthresholds:\n  utilizationWarning: 0.95\ncommands:\n  team: license-admins\nemails: hidden\n",
    );
    expect(repository(example)).toBe(true);
    expect(repository({ schedule: { cron: "weekly" } })).toBe(false);
    expect(repository({ schedul: {} })).toBe(false);

    const deployment = validator(deploymentConfigJsonSchema());
    const config = parse(
      "enterprise: acme\ncloud:\n  token: ${GHEC_TOKEN}\nadminRepository: acme/license-admin\nservers:\n  - hostname: ghes-a.corp.example\n    url: https://ghes-a.corp.example\n    token: ${GHES_A_TOKEN}\n  - hostname: ghes-b.corp.example\n    usageFile: license-usage/uploads/ghes-b.json\n",
    );
    expect(deployment(config)).toBe(true);
    expect(deployment({ enterprise: "acme" })).toBe(false);
  });

  it("describes every key, and refuses an undocumented or stale one", () => {
    expect(() => describeKeys({ properties: { a: {}, b: {} } }, { a: "A" })).toThrow("document the key b");
    expect(() => describeKeys({ properties: { a: {} } }, { a: "A", gone: "G" })).toThrow("no such key gone");
  });
});
