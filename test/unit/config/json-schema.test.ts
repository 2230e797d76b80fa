import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { z } from "zod";
import {
  assertDescribed,
  deploymentConfigJsonSchema,
  keyedJsonSchema,
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

  it("describes every key, and refuses an undocumented one", () => {
    expect(() => assertDescribed({ properties: { a: { description: "A" }, b: {} } })).toThrow("document the key b");
    expect(() => assertDescribed({ items: { properties: { a: {} } } }, "servers")).toThrow(
      "document the key servers[].a",
    );
    // A key added to a zod schema without .meta({ description }) fails generation.
    expect(() => keyedJsonSchema(z.strictObject({ a: z.string().meta({ description: "A" }), b: z.string() }))).toThrow(
      "document the key b",
    );
    // (A stale description cannot exist any more: it sits on its key. A stale row of the docs
    // table fails test/unit/config/reference-table.test.ts.)
  });

  it("takes each description and the secret flag from the key's .meta(), for editors without the flag", () => {
    const keyed = keyedJsonSchema(
      z.strictObject({ token: z.string().meta({ description: "Read [install.md](install.md#4).", secret: true }) }),
    );
    expect(keyed.properties?.token).toMatchObject({ description: "Read [install.md](install.md#4).", secret: true });
    const cloud = (
      deploymentConfigJsonSchema() as { properties: Record<string, { properties: Record<string, object> }> }
    ).properties.cloud!.properties;
    expect(cloud.token).not.toHaveProperty("secret");
    expect(cloud.token).toHaveProperty(
      "description",
      expect.stringContaining(
        "[install.md](https://github.com/license-sync/license-sync/blob/main/docs/install.md#4-tokens-and-scopes)",
      ),
    );
    // A default behind a transform, which zod leaves out of the input schema, is restored.
    expect(cloud.apiUrl).toHaveProperty("default", "https://api.github.com");
  });
});
