import { httpStatusOf, isRateLimited } from "../../github/index.js";
import { InputError } from "../../shared/index.js";

const SITE_ADMIN_FIX =
  "The token must be a classic personal access token of a site administrator with the site_admin scope " +
  "(GHES refuses GitHub App tokens here). Check servers[].token, and servers[].login if set.";

/**
 * The error for a GHES that refused our credentials: the operator must fix the token (exit 2).
 *
 * @example throw siteAdminRequired("ghes-a.corp.example", "GET /stafftools/reports/all_users.csv", "answered 403");
 */
export function siteAdminRequired(hostname: string, what: string, problem: string): InputError {
  return new InputError(`GHES ${hostname}`, what, problem, SITE_ADMIN_FIX);
}

/**
 * Reads an optional site-admin endpoint: its data, or null when this GHES does not offer it
 * (404). 401 and a 403 that is no rate limit become `siteAdminRequired`; anything else is rethrown for the job to retry.
 *
 * @example const data = await optionalEndpoint(() => client.request("GET /enterprise/stats/users"), host, "GET /enterprise/stats/users");
 */
export async function optionalEndpoint(
  call: () => Promise<{ data: unknown }>,
  hostname: string,
  what: string,
): Promise<unknown> {
  try {
    return (await call()).data;
  } catch (error) {
    const status = httpStatusOf(error);
    // A rate limit the client gave up waiting out says nothing about permissions: retried later.
    if (status === 401 || (status === 403 && !isRateLimited(error)))
      throw siteAdminRequired(hostname, what, `GHES answered ${status}`);
    if (status === 404) return null;
    throw error;
  }
}
