/**
 * Just enough GraphQL reading for the queries collectors send. No parser is installed and the
 * simulator does not need one: it finds a field by name and reads its argument list, resolving
 * `$variables`. Fragments and aliases are not supported.
 */

/** The query without comments and string-literal noise in the way of field lookups. */
export function stripComments(query: string): string {
  return query.replace(/#[^\n]*/g, "");
}

/** Whether a field is selected anywhere in the query. */
export function hasField(query: string, field: string): boolean {
  return new RegExp(`(^|[^$\\w])${field}\\b(?!\\s*:)`).test(query);
}

/**
 * The arguments of the first selection of `field`, e.g. `externalIdentities(first: 100, after:
 * $cursor)` -> `{ first: 100, after: "Y3Vy..." }`; null when the field is not selected.
 */
export function fieldArgs(
  query: string,
  field: string,
  variables: Record<string, unknown>,
): Record<string, unknown> | null {
  const found = new RegExp(`(^|[^$\\w])${field}\\s*(\\(([^)]*)\\))?`).exec(query);
  if (!found) return null;
  const args: Record<string, unknown> = {};
  const list = found[3] ?? "";
  for (const arg of list.matchAll(/(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*"|-?\d+|true|false|null)/g)) {
    const [, name = "", raw = ""] = arg;
    if (raw.startsWith("$")) args[name] = variables[raw.slice(1)] ?? null;
    else args[name] = JSON.parse(raw) as unknown;
  }
  return args;
}

/** Opaque cursors, base64 like GitHub's, carrying the position to resume from. */
export function encodeCursor(position: number): string {
  return Buffer.from(`cursor:v2:${position}`).toString("base64");
}

/** The position a cursor carries: 0 for none, null when it is not one of ours. */
export function decodeCursor(cursor: unknown): number | null {
  if (cursor === null || cursor === undefined) return 0;
  if (typeof cursor !== "string") return null;
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return match ? Number(match[1]) : null;
}
