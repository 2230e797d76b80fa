import type { z } from "zod";

/** Levenshtein distance, case-insensitive: `tokn` -> `token` is 1. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length]!;
}

/**
 * The known key a typo most likely meant, or undefined when none is close: within a third of the
 * key's length in edits (at least 2), or one key abbreviating the other (`adminRepo`).
 *
 * @example nearestKey("adminRepo", ["enterprise", "adminRepository"]) // "adminRepository"
 */
export function nearestKey(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(unknown, key);
    const abbreviates =
      lower.length >= 3 && (key.toLowerCase().startsWith(lower) || lower.startsWith(key.toLowerCase()));
    if ((distance <= Math.max(2, Math.floor(key.length / 3)) || abbreviates) && (!best || distance < best.distance))
      best = { key, distance };
  }
  return best?.key;
}

type Def = { type?: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown; in?: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod?: { def?: Def } })._zod?.def ?? {};

/**
 * The keys an object schema accepts at `path` (through defaults, optionals, pipes and arrays), for
 * naming what an unknown key probably meant.
 *
 * @example knownKeysAt(deploymentConfigSchema, ["servers", 0]) // ["hostname", "url", "login", "usageFile", "token"]
 */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let node: unknown = schema;
  let remaining = [...path];
  for (let guard = 0; node && guard < 64; guard++) {
    const def = defOf(node);
    if (def.innerType) node = def.innerType;
    else if (def.type === "pipe") node = def.in;
    else if (def.type === "array" && remaining.length > 0) {
      node = def.element;
      remaining = remaining.slice(1);
    } else if (def.type === "object" && def.shape) {
      if (remaining.length === 0) return Object.keys(def.shape);
      node = def.shape[String(remaining[0])];
      remaining = remaining.slice(1);
    } else return [];
  }
  return [];
}
