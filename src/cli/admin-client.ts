import { readFile } from "node:fs/promises";
import { createAppAuth } from "@octokit/auth-app";
import type { DeploymentConfig } from "../config/index.js";
import { buildClient, type GitHubClient, httpStatusOf, nameUnreachable } from "../github/index.js";
import type { AdminIdentity } from "../pipeline/index.js";
import { InputError, type Log } from "../shared/index.js";

/** The App's private key from PRIVATE_KEY or PRIVATE_KEY_PATH (Probot's variables). */
async function privateKey(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.PRIVATE_KEY) return env.PRIVATE_KEY.replace(/\\n/g, "\n");
  if (env.PRIVATE_KEY_PATH) return readFile(env.PRIVATE_KEY_PATH, "utf8");
  return undefined;
}

/**
 * A client for the admin repository when the CLI publishes or reads the repository config: the
 * App's installation on the repository's organization when APP_ID and a private key are set
 * (the same identity as the app), else `cloud.token` (which then needs `repo`).
 */
export async function createAdminClient(
  deployment: DeploymentConfig,
  logger: Log,
  env = process.env,
): Promise<{ client: GitHubClient; identity: AdminIdentity }> {
  const [owner, repo] = deployment.adminRepository.split("/") as [string, string];
  const key = await privateKey(env);
  const baseUrl = deployment.cloud.apiUrl;
  if (env.APP_ID && key) {
    const app = buildClient({
      baseUrl,
      logger,
      credentials: { authStrategy: createAppAuth, auth: { appId: env.APP_ID, privateKey: key } },
    });
    const { data } = await app
      .request("GET /repos/{owner}/{repo}/installation", { owner, repo })
      .catch((error: unknown) => {
        throw httpStatusOf(error) === 404
          ? new InputError(
              "deployment config",
              "adminRepository",
              `the App (APP_ID) is not installed on ${deployment.adminRepository}`,
              "Install the App on the organization that owns the admin repository (docs/install.md).",
            )
          : nameUnreachable(error, "cloud.apiUrl");
      });
    return {
      client: buildClient({
        baseUrl,
        logger,
        credentials: {
          authStrategy: createAppAuth,
          auth: { appId: env.APP_ID, privateKey: key, installationId: data.id },
        },
      }),
      identity: "app",
    };
  }
  return {
    client: buildClient({ baseUrl, logger, credentials: { token: deployment.cloud.token } }),
    identity: "cloud.token",
  };
}
