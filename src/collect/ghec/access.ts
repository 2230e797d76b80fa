import { graphqlErrorTypes, httpStatusOf } from "../../github/index.js";
import { InputError } from "../../shared/index.js";

const OWNER_FIX =
  "Set cloud.token to a classic personal access token of an enterprise owner with the read:enterprise scope " +
  "(GitHub does not enable enterprise licensing for GitHub Apps), and check the enterprise slug.";

/**
 * The error for an enterprise we may not read: the operator must fix the token or slug (exit 2).
 *
 * @example throw enterpriseAccessRequired("acme", "GET /enterprises/acme/consumed-licenses", "GitHub answered 403");
 */
export function enterpriseAccessRequired(enterprise: string, what: string, problem: string): InputError {
  return new InputError(`GHEC enterprise "${enterprise}"`, what, problem, OWNER_FIX);
}

/** GraphQL error types that mean "this token may not see that" rather than a fault. */
const GRAPHQL_ACCESS_ERRORS = new Set(["FORBIDDEN", "NOT_FOUND", "INSUFFICIENT_SCOPES", "UNAUTHORIZED"]);

/**
 * True when a failed REST or GraphQL call was refused for access (401/403/404, FORBIDDEN, …).
 *
 * @example if (isAccessRefusal(error)) return [];
 */
export function isAccessRefusal(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status === 401 || status === 403 || status === 404) return true;
  return graphqlErrorTypes(error).some((type) => GRAPHQL_ACCESS_ERRORS.has(type));
}

/**
 * Turns an access refusal into `enterpriseAccessRequired`; rate limits (403 with a secondary-limit
 * message that outlived the retries) and other faults are returned unchanged for the job to retry.
 *
 * @example catch (error) { throw cloudFailure(error, enterprise, "GET /enterprises/acme/license-sync-status"); }
 */
export function cloudFailure(error: unknown, enterprise: string, what: string): unknown {
  if (!isAccessRefusal(error) || isRateLimit(error)) return error;
  const status = httpStatusOf(error);
  const problem =
    status === undefined
      ? `GitHub refused the query (${graphqlErrorTypes(error).join(", ")})`
      : `GitHub answered ${status}`;
  return enterpriseAccessRequired(enterprise, what, problem);
}

function isRateLimit(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return /rate limit/i.test(message);
}
