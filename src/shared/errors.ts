/**
 * Bad input or configuration: the operator can fix it. The CLI exits 2 with the message; job
 * processors turn it into an `UnrecoverableError` and tell the admin what to fix.
 *
 * @example
 *   throw new InputError("consumed-licenses.json", "users[3].github_com_user", "expected a boolean", "Use true or false.");
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    /** File, URL or config name the problem is in. */
    readonly source: string,
    /** Line (`line 12`) or field path (`users[3].email`); empty when it is the whole input. */
    readonly where: string,
    /** What is wrong. */
    readonly problem: string,
    /** What the operator can do about it. */
    readonly fix: string,
  ) {
    super(`${source}${where ? `, ${where}` : ""}: ${problem}. ${fix}`);
    this.name = "InputError";
  }
}

/** True for errors the operator must fix (exit 2, no retry). */
export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

/**
 * The `code` of a system error (`ENOENT`, `EACCES`, …), read by shape, not `instanceof`: file
 * errors may come from another realm (test runners). Undefined for anything else, null included.
 *
 * @example if (errorCode(error) !== "ENOENT") throw error;
 */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The InputError for a local input file that is not there or is a directory, with the fix for
 * each; undefined for any other error, which the caller handles itself.
 *
 * @example
 *   throw unopenedFileError(error, "ghes-a.csv", { missing: "Check the path.", directory: "Give the path of a file." }) ?? error;
 */
export function unopenedFileError(
  error: unknown,
  source: string,
  fix: { missing: string; directory: string },
): InputError | undefined {
  const code = errorCode(error);
  if (code === "ENOENT") return new InputError(source, "", "file not found", fix.missing);
  if (code === "EISDIR") return new InputError(source, "", "is a directory, not a file", fix.directory);
  return undefined;
}
