import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";

/** Dereferenced descriptions shipped by @octokit/openapi. */
export type OpenApiFile = "ghec.deref.json" | "ghes-3.19.deref.json" | "api.github.com.deref.json";

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
}

/**
 * Response schemas of the given operations, e.g. `["get /enterprises/{enterprise}/consumed-licenses 200"]`.
 * The files are 60-80 MB: each is parsed once per call and only the schemas are kept.
 */
export function responseSchemas(file: OpenApiFile, operations: string[]): Record<string, object> {
  const require = createRequire(import.meta.url);
  const path = require.resolve(`@octokit/openapi/generated/${file}`);
  const doc = JSON.parse(readFileSync(path, "utf8")) as OpenApiDocument;
  const schemas: Record<string, object> = {};
  for (const operation of operations) {
    const [method = "", route = "", status = "200"] = operation.split(" ");
    const schema = doc.paths[route]?.[method]?.responses[status]?.content?.["application/json"]?.schema;
    if (!schema) throw new Error(`${file} has no ${status} JSON response for ${method.toUpperCase()} ${route}`);
    schemas[operation] = schema;
  }
  return schemas;
}

/**
 * OpenAPI 3.0's `nullable` next to `anyOf`/`oneOf` (no `type`) is not JSON Schema and Ajv refuses
 * it; rewrite those nodes as `anyOf: [schema, {type: "null"}]`. Ajv handles `nullable` with `type`.
 */
function jsonSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchemaOf);
  if (typeof node !== "object" || node === null) return node;
  const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, jsonSchemaOf(v)])) as Record<
    string,
    unknown
  >;
  // Ajv applies `nullable` before `enum`, so a nullable enum must list null itself.
  if (copy.nullable === true && Array.isArray(copy.enum) && !copy.enum.includes(null))
    copy.enum = [...(copy.enum as unknown[]), null];
  if (copy.nullable === true && copy.type === undefined) {
    delete copy.nullable;
    return { anyOf: [copy, { type: "null" }] };
  }
  return copy;
}

/** An Ajv validator for OpenAPI 3.0 schemas (`nullable`, `example` and friends tolerated). */
export function validatorFor(schema: object): (data: unknown) => ErrorObject[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(jsonSchemaOf(schema) as object);
  return (data) => (validate(data) ? [] : [...(validate.errors ?? [])]);
}
