import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { deploymentConfigSchema } from "./deployment.js";
import { keyedJsonSchema, type SchemaNode } from "./json-schema.js";
import { repositoryConfigSchema } from "./repository.js";

/** The key tables of docs/configuration.md, by the name their marker comments carry. */
export const REFERENCE_TABLES = {
  deployment: () => referenceTable(keyedJsonSchema(deploymentConfigSchema), { secretColumn: true }),
  repository: () => referenceTable(keyedJsonSchema(repositoryConfigSchema), { secretColumn: false }),
} satisfies Record<string, () => string>;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** The bounds a key's value must keep, as the table shows them beside the default: `(1-32)`, `(min 10)`. */
function bounds(node: SchemaNode): string {
  const { minimum, exclusiveMinimum, maxItems } = node as Record<string, number | undefined>;
  // z.int() exports Number.MAX_SAFE_INTEGER as its maximum: no bound a person chose.
  const maximum = node.maximum === Number.MAX_SAFE_INTEGER ? undefined : node.maximum;
  if (minimum !== undefined && maximum !== undefined) return ` (${minimum}-${maximum})`;
  const parts = [
    minimum !== undefined ? `min ${minimum}` : exclusiveMinimum !== undefined ? `more than ${exclusiveMinimum}` : "",
    maximum !== undefined ? `max ${maximum}` : "",
    maxItems !== undefined ? `at most ${maxItems}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

function defaultCell(node: SchemaNode, required: boolean): string {
  const value = typeof node.default === "string" ? node.default : JSON.stringify(node.default);
  if ("default" in node) return `\`${value}\`${bounds(node)}`;
  return required ? "required" : `none${bounds(node)}`;
}

/**
 * The Markdown table of every key a person writes: one row per key, except objects, whose keys
 * are the rows (`collect.pollIntervalSeconds`); an array of objects is a row, and so is each key
 * of its items (`servers[].url`).
 *
 * @example
 *   referenceTable(keyedJsonSchema(repositoryConfigSchema), { secretColumn: false });
 *   // "| key | default | meaning |\n|---|---|---|\n| `schedule.cron` | `0 6 * * 1` | 5-field cron …"
 */
export function referenceTable(schema: SchemaNode, options: { secretColumn: boolean }): string {
  const rows: string[] = [];
  const visit = (node: SchemaNode, prefix: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      const isObject = child.type === "object";
      if (!isObject) {
        const secret = options.secretColumn ? (child.secret ? " **yes** |" : " |") : "";
        const required = node.required?.includes(key) ?? false;
        rows.push(`| \`${path}\` | ${defaultCell(child, required)} |${secret} ${cell(child.description ?? "")} |`);
      }
      if (isObject) visit(child, path);
      else if (child.items?.type === "object") visit(child.items, `${path}[]`);
    }
  };
  visit(schema, "");
  const header = options.secretColumn
    ? "| key | default | secret | meaning |\n|---|---|---|---|"
    : "| key | default | meaning |\n|---|---|---|";
  return [header, ...rows].join("\n");
}

const marker = (name: string) => ({
  start: `<!-- config-reference:${name} (generated from src/config: npm run docs:config) -->`,
  end: `<!-- /config-reference:${name} -->`,
});

/**
 * `markdown` with each reference table between its marker comments written anew; throws naming a
 * marker that is missing, so a table cannot silently stop being generated.
 *
 * @example
 *   const doc = await readFile("docs/configuration.md", "utf8");
 *   withReferenceTables(doc) === doc; // true when the tables agree with the zod schemas
 */
export function withReferenceTables(markdown: string): string {
  let text = markdown;
  for (const [name, table] of Object.entries(REFERENCE_TABLES)) {
    const { start, end } = marker(name);
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`docs/configuration.md: the markers ${start} … ${end} are missing`);
    text = `${text.slice(0, from + start.length)}\n${table()}\n${text.slice(to)}`;
  }
  return text;
}

// `node dist/config/reference-table.js [file]` rewrites the tables (default docs/configuration.md).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = process.argv[2] ?? "docs/configuration.md";
  await writeFile(file, withReferenceTables(await readFile(file, "utf8")));
  console.warn(`wrote ${file}`);
}
