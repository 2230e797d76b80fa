import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { deploymentConfigSchema } from "./deployment.js";
import { repositoryConfigSchema } from "./repository.js";

/** Where editors fetch the schemas: the raw files of the default branch, not GitHub's HTML view (same base as schemas/usage-file.schema.json). */
export const SCHEMA_BASE = "https://raw.githubusercontent.com/license-sync/license-sync/main/schemas/";

/** Where the Markdown links of descriptions (relative to docs/) point from an editor. */
export const DOCS_BASE = "https://github.com/license-sync/license-sync/blob/main/docs/";

/** A node of the JSON Schema zod writes for a config file. */
export type SchemaNode = {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
  description?: string;
  default?: unknown;
  secret?: boolean;
  maximum?: number;
  [key: string]: unknown;
};

/**
 * A default zod leaves out of the input schema (behind a transform, as for `cloud.apiUrl`) is
 * still what a missing key means, so the editor shows it.
 */
const restoreDefault: NonNullable<Parameters<typeof z.toJSONSchema>[1]>["override"] = ({ zodSchema, jsonSchema }) => {
  const def = zodSchema._zod.def;
  if (def.type === "default" && !("default" in jsonSchema))
    jsonSchema.default = (def as { defaultValue: unknown }).defaultValue;
};

/** Throws naming the first key without a description, so a key added to a zod schema without `.meta()` fails the schema test. */
export function assertDescribed(node: SchemaNode, prefix = ""): void {
  if (node.items) assertDescribed(node.items, `${prefix}[]`);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!child.description) throw new Error(`src/config: document the key ${path} with .meta({ description })`);
    assertDescribed(child, path);
  }
}

/**
 * The input shape of a config schema (what people write, defaults optional), draft-07 (the draft
 * every YAML editor reads), with each key's `.meta()`: its description and `secret` flag.
 *
 * @example
 *   keyedJsonSchema(repositoryConfigSchema).properties?.emails?.description; // "How emails appear in issues: …"
 */
export function keyedJsonSchema(schema: z.ZodType): SchemaNode {
  const generated = z.toJSONSchema(schema, { io: "input", target: "draft-7", override: restoreDefault }) as SchemaNode;
  assertDescribed(generated);
  return generated;
}

/** Makes a keyed schema an editor's: `secret` is ours, not JSON Schema's; links lead to the docs online. */
function forEditors(node: SchemaNode): void {
  delete node.secret;
  // z.int() exports Number.MAX_SAFE_INTEGER as its maximum: noise in an editor.
  if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
  if (node.description) node.description = node.description.replace(/\]\((?![a-z]+:)([^)]+)\)/g, `](${DOCS_BASE}$1)`);
  if (node.items) forEditors(node.items);
  for (const child of Object.values(node.properties ?? {})) forEditors(child);
}

function generate(schema: z.ZodType, header: { file: string; title: string; description: string }): object {
  const generated = keyedJsonSchema(schema);
  forEditors(generated);
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `${SCHEMA_BASE}${header.file}`,
    title: header.title,
    description: header.description,
    ...rest,
  };
}

/** JSON Schema of `.github/license-sync.yml`. */
export function repositoryConfigJsonSchema(): object {
  return generate(repositoryConfigSchema, {
    file: "license-sync.schema.json",
    title: "license-sync repository config (.github/license-sync.yml)",
    description:
      "Policy of the admin repository: schedule, thresholds, labels, assignees, commands, emails, history. See docs/configuration.md.",
  });
}

/** JSON Schema of the deployment config (`LICENSE_SYNC_CONFIG`, default license-sync.config.yml). */
export function deploymentConfigJsonSchema(): object {
  return generate(deploymentConfigSchema, {
    file: "license-sync.config.schema.json",
    title: "license-sync deployment config (license-sync.config.yml)",
    description:
      "Enterprise, admin repository, instances and secrets. String values may use ${VAR}, expanded from the environment. See docs/configuration.md.",
  });
}

/** File name -> generator, for the writer and the test that compares committed files. */
export const SCHEMA_FILES: Record<string, () => object> = {
  "license-sync.schema.json": repositoryConfigJsonSchema,
  "license-sync.config.schema.json": deploymentConfigJsonSchema,
};

/** The text written for a schema: stable 2-space JSON with a final newline. */
export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * Writes the config schemas into `dir`.
 *
 * @example
 *   await writeConfigSchemas("schemas"); // schemas/license-sync.schema.json, schemas/license-sync.config.schema.json
 */
export async function writeConfigSchemas(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, make] of Object.entries(SCHEMA_FILES)) {
    await writeFile(join(dir, file), schemaText(make()));
    written.push(join(dir, file));
  }
  return written;
}

// `node dist/config/json-schema.js [dir]` regenerates the committed schemas (default ./schemas).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const path of await writeConfigSchemas(process.argv[2] ?? "schemas")) console.warn(`wrote ${path}`);
}
