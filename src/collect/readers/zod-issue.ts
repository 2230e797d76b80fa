import type { z } from "zod";

/** `users[3].github_com_user`: the path of a zod issue under a prefix, for error messages. */
export function issuePath(prefix: string, issue: z.core.$ZodIssue): string {
  return issue.path.reduce<string>(
    (path, part) => (typeof part === "number" ? `${path}[${part}]` : `${path}.${String(part)}`),
    prefix,
  );
}

/**
 * A zod issue's message without input text: zod names unrecognized keys in its message, and in a
 * hand-edited file a key may be an email. The path already says which object holds them.
 */
export function issueProblem(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return `has ${issue.keys.length === 1 ? "a key" : `${issue.keys.length} keys`} this format does not define`;
  return issue.message;
}
