import type { z } from "zod";
import { InputError } from "../errors.js";

/** `servers[1].token`: a zod issue's path as a config key. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((key, part) => (typeof part === "number" ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part)), "");
}

/** Turns the first zod issue into an InputError that names the file and the key. */
export function configError(source: string, error: z.ZodError, fix: string): InputError {
  const issue = error.issues[0]!;
  return new InputError(source, keyPath(issue.path) || "(top level)", issue.message, fix);
}
