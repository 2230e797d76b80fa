/**
 * The HTTP status of a failed Octokit call (RequestError), undefined for anything else
 * (GraphQL errors come back with 200 and carry `errors` instead).
 *
 * @example if (httpStatusOf(error) === 404) return null;
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's GraphQL error types: `FORBIDDEN`, `NOT_FOUND`, `INSUFFICIENT_SCOPES`, `RATE_LIMITED`, … */
const GRAPHQL_ERROR_TYPE = /^[A-Z][A-Z_]{0,39}$/;

/**
 * GraphQL error types (`NOT_FOUND`, `FORBIDDEN`, …) of a GraphqlResponseError; empty for other
 * errors. Only type-shaped values (upper-case words) are kept: they end up in messages and
 * replies, and a broken server may put any text (an email, Markdown) in `type`.
 *
 * @example graphqlErrorTypes(error).includes("FORBIDDEN")
 */
export function graphqlErrorTypes(error: unknown): string[] {
  if (typeof error !== "object" || error === null || !("errors" in error)) return [];
  const errors = (error as { errors: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((entry: { type?: unknown }) => (typeof entry?.type === "string" ? entry.type : ""))
    .filter((type) => GRAPHQL_ERROR_TYPE.test(type));
}
