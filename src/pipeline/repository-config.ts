import { readRepositoryConfig } from "../config/read-repository-config.js";
import type { RepositoryConfig } from "../config/repository.js";
import type { GitHubClient } from "../github/client.js";
import type { Log } from "../github/logger.js";

/**
 * Reads `.github/license-sync.yml` of the admin repository when a run starts: the policy the run
 * follows is the one in force when it began.
 *
 * @example const config = await loadRunRepositoryConfig(octokit, "acme", "license-admin");
 */
export function loadRunRepositoryConfig(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  logger?: Log,
): Promise<RepositoryConfig> {
  return readRepositoryConfig(octokit, { owner, repo }, logger);
}
