import type { DeploymentConfig } from "../config/index.js";
import {
  checkTokenScopes,
  createGhecClient,
  createGhesClient,
  deadlinesOf,
  type GitHubClient,
  httpStatusOf,
  nameUnreachable,
  type ScopeCheck,
  type TokenToCheck,
} from "../github/index.js";
import { InputError, type Log } from "../shared/index.js";

/** What writes the admin repository: the App's installation, or (CLI without App credentials) `cloud.token`. */
export type AdminIdentity = "app" | "cloud.token";

/**
 * Each configured token and the scopes its features need (docs/install.md has the same table).
 * `adminIdentity: "cloud.token"` adds `repo`, for writing issues and history with the PAT.
 *
 * @example tokenChecks(deployment, "app", logger).map((t) => t.key) // ["cloud.token", "servers[0].token"]
 */
export function tokenChecks(deployment: DeploymentConfig, adminIdentity: AdminIdentity, logger: Log): TokenToCheck[] {
  const { cloud } = deployment;
  const deadlines = deadlinesOf(deployment.timeouts);
  // No retries: a refused connection should be named now, not after a minute of back-off.
  const cloudCheck: TokenToCheck = {
    key: "cloud.token",
    urlKey: "cloud.apiUrl",
    client: createGhecClient({ apiUrl: cloud.apiUrl, token: cloud.token, logger, serverErrorRetries: 0, deadlines }),
    needs: [
      {
        scope: "read:enterprise",
        feature: "enterprise licensing (consumed-licenses, license-sync-status) and the enterprise's SAML identities",
        required: true,
      },
      ...(cloud.organizations.length > 0
        ? [
            {
              scope: "read:org",
              feature: `SAML identities of cloud.organizations (${cloud.organizations.join(", ")})`,
              required: true,
            },
          ]
        : []),
      {
        scope: "admin:enterprise",
        feature:
          "the enterprise's verified domains (without them only the domains of members' verified emails count as verified)",
        required: false,
      },
      ...(adminIdentity === "cloud.token"
        ? [
            {
              scope: "repo",
              feature: `writing issues and history to adminRepository (${deployment.adminRepository}) without App credentials`,
              required: true,
            },
          ]
        : []),
    ],
  };
  const serverChecks = deployment.servers.flatMap((server, index): TokenToCheck[] =>
    server.url && server.token
      ? [
          {
            key: `servers[${index}].token`,
            urlKey: `servers[${index}].url`,
            client: createGhesClient({
              url: server.url,
              token: server.token,
              hostname: server.hostname,
              logger,
              serverErrorRetries: 0,
              deadlines,
            }),
            needs: [
              {
                scope: "site_admin",
                feature: `the all_users report and license of ${server.hostname}`,
                required: true,
              },
            ],
          },
        ]
      : [],
  );
  return [cloudCheck, ...serverChecks];
}

/**
 * Checks the tokens of a run before anything is collected: a missing required scope is an
 * InputError (exit 2, no retry) naming the key, scope and feature; the rest are warnings.
 *
 * @example const { warnings } = await checkRunTokens(deployment, "app", logger);
 */
export function checkRunTokens(
  deployment: DeploymentConfig,
  adminIdentity: AdminIdentity,
  logger: Log,
): Promise<ScopeCheck> {
  return checkTokenScopes(tokenChecks(deployment, adminIdentity, logger), logger);
}

/**
 * Checks that the admin repository exists and is visible (and, for a PAT, writable) before a run
 * collects anything, so a wrong `adminRepository` fails in seconds, not after the collection.
 *
 * @example await checkAdminRepository(client, deployment, "cloud.token");
 */
export async function checkAdminRepository(
  client: Pick<GitHubClient, "request">,
  deployment: Pick<DeploymentConfig, "adminRepository">,
  identity: AdminIdentity,
): Promise<void> {
  const [owner = "", repo = ""] = deployment.adminRepository.split("/");
  const who = identity === "app" ? "the App's installation" : "cloud.token";
  let permissions: { push?: boolean } | undefined;
  try {
    ({
      data: { permissions },
    } = await client.request("GET /repos/{owner}/{repo}", { owner, repo }));
  } catch (error) {
    if (httpStatusOf(error) === 404) {
      throw new InputError(
        "deployment config",
        "adminRepository",
        `GitHub answered 404 for ${deployment.adminRepository}: it does not exist or ${who} cannot see it`,
        identity === "app"
          ? "Check the name, and install the App on the organization that owns it with access to it."
          : "Check the name; cloud.token needs the repo scope and access to the repository.",
      );
    }
    throw nameUnreachable(error, "cloud.apiUrl");
  }
  if (permissions && permissions.push === false) {
    throw new InputError(
      "deployment config",
      "adminRepository",
      `${who} may read ${deployment.adminRepository} but not write to it`,
      "Give the token's owner write access to the repository (issues and history are written there).",
    );
  }
}
