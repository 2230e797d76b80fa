import type { z } from "zod";

/** `users[3].github_com_user`: the path of a zod issue under a prefix, for error messages. */
export function issuePath(prefix: string, issue: z.core.$ZodIssue): string {
  return issue.path.reduce<string>((path, part) => (typeof part === "number" ? `${path}[${part}]` : `${path}.${String(part)}`), prefix);
}
