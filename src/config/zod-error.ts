import type { z } from "zod";
import { InputError } from "../errors.js";
import { knownKeysAt, nearestKey } from "./nearest-key.js";

/** `servers[1].token`: a zod issue's path as a config key. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((key, part) => (typeof part === "number" ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part)), "");
}

/** "unknown key adminRepo (did you mean adminRepository?)" for a strict object's unknown keys. */
function unknownKeysProblem(keys: string[], known: string[]): string {
  return keys
    .map((key) => {
      const near = nearestKey(key, known);
      return `unknown key ${JSON.stringify(key)}${near ? ` (did you mean ${near}?)` : ""}`;
    })
    .join("; ");
}

/**
 * Turns the first zod issue (an unknown key before anything else) into an InputError that names the file and the key. With the schema,
 * an unknown key is named with the known key it most likely meant.
 */
export function configError(source: string, error: z.ZodError, fix: string, schema?: z.ZodType): InputError {
  // A typo also makes the key it meant "missing": the unknown key is the cause, so it comes first.
  const issue = error.issues.find((i) => i.code === "unrecognized_keys") ?? error.issues[0]!;
  if (issue.code === "unrecognized_keys" && schema) {
    const known = knownKeysAt(schema, issue.path);
    return new InputError(source, keyPath(issue.path) || "(top level)", unknownKeysProblem(issue.keys, known), `Known keys here: ${known.join(", ")}. ${fix}`);
  }
  return new InputError(source, keyPath(issue.path) || "(top level)", issue.message, fix);
}
