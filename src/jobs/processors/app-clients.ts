import { createAppAuth } from "@octokit/auth-app";
import { createGhecClient, type GitHubClient, httpStatusOf } from "../../github/index.js";
import { InputError, type Log } from "../../shared/index.js";

/** The GitHub App's identity, for acting on the admin repository from a worker. */
export interface AppCredentials {
  appId: number;
  privateKey: string;
  /** REST root of the App's GitHub (api.github.com, api.SUBDOMAIN.ghe.com, or a simulator). */
  apiUrl: string;
}

/**
 * Clients that act as the App: its JWT for lookups, installation tokens for the admin repository.
 * Enterprise licensing is not among them: GitHub does not enable `consumed-licenses` and
 * `license-sync-status` for GitHub Apps, so the GHEC side always uses `cloud.token`.
 */
export interface AppClients {
  /** A client with the installation's token (cached per installation; tokens renew themselves). */
  installation(installationId: number): GitHubClient;
  /** The installation that covers `owner/repo` (cached), via the App's JWT. */
  installationIdFor(owner: string, repo: string): Promise<number>;
}

/**
 * @example
 *   const clients = createAppClients({ appId: 1, privateKey, apiUrl: "https://api.github.com" }, logger);
 *   const octokit = clients.installation(await clients.installationIdFor("acme", "license-admin"));
 */
export function createAppClients(app: AppCredentials, logger: Log): AppClients {
  const jwtClient = createGhecClient({
    apiUrl: app.apiUrl,
    authStrategy: createAppAuth,
    auth: { appId: app.appId, privateKey: app.privateKey },
    logger,
  });
  const clients = new Map<number, GitHubClient>();
  const repositoryInstallations = new Map<string, number>();
  return {
    installation(installationId) {
      let client = clients.get(installationId);
      if (!client) {
        client = createGhecClient({
          apiUrl: app.apiUrl,
          authStrategy: createAppAuth,
          auth: { appId: app.appId, privateKey: app.privateKey, installationId },
          logger,
        });
        clients.set(installationId, client);
      }
      return client;
    },
    async installationIdFor(owner, repo) {
      const cached = repositoryInstallations.get(`${owner}/${repo}`);
      if (cached !== undefined) return cached;
      try {
        const { data } = await jwtClient.request("GET /repos/{owner}/{repo}/installation", { owner, repo });
        repositoryInstallations.set(`${owner}/${repo}`, data.id);
        return data.id;
      } catch (error) {
        if (httpStatusOf(error) !== 404) throw error;
        throw new InputError(
          "deployment config",
          "adminRepository",
          `the App is not installed on ${owner}/${repo}`,
          `Install the App on the ${owner} organization with access to ${repo}.`,
        );
      }
    },
  };
}
