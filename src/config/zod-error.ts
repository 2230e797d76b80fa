import type { z } from "zod";
import { InputError, knownKeysAt, nearestKey } from "../shared/index.js";

/** `servers[1].token`: a zod issue's path as a config key. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (key, part) => (typeof part === "number" ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part)),
    "",
  );
}

/**
 * Turns the first zod issue (an unknown key before anything else) into an InputError that names the file and the key. With the schema,
 * an unknown key is named with the known key it most likely meant. The unknown key is the place
 * (`where`, which replies and comments show as code), never part of the message: it is someone's
 * text, and a message is shown as prose.
 */
export function configError(source: string, error: z.ZodError, fix: string, schema?: z.ZodType): InputError {
  // A typo also makes the key it meant "missing": the unknown key is the cause, so it comes first.
  const issue = error.issues.find((i) => i.code === "unrecognized_keys") ?? error.issues[0]!;
  if (issue.code === "unrecognized_keys" && issue.keys.length > 0) {
    const known = schema ? knownKeysAt(schema, issue.path) : [];
    const near = nearestKey(issue.keys[0]!, known);
    const more =
      issue.keys.length > 1
        ? ` (and ${issue.keys.length - 1} more unknown key${issue.keys.length > 2 ? "s" : ""} here)`
        : "";
    return new InputError(
      source,
      keyPath([...issue.path, issue.keys[0]!]),
      `is not a known key${near ? ` (did you mean ${near}?)` : ""}${more}`,
      known.length ? `Known keys here: ${known.join(", ")}. ${fix}` : fix,
    );
  }
  return new InputError(source, keyPath(issue.path) || "(top level)", issue.message, fix);
}
