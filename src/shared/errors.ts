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
