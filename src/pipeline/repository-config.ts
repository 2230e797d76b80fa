import {
  parseRepositoryConfig,
  parseRepositoryConfigText,
  REPOSITORY_CONFIG_FIX,
  REPOSITORY_CONFIG_PATH,
  type RepositoryConfig,
} from "../config/index.js";
import { httpStatusOf, repositoryEntry, type Requester } from "../github/index.js";
import { InputError, type Log } from "../shared/index.js";

/** Where to read `.github/license-sync.yml`. */
export interface ConfigLocation {
  owner: string;
  repo: string;
  /** Commit or branch; the default branch when absent. */
  ref?: string;
}

/**
 * Reads and validates `.github/license-sync.yml` of the admin repository; defaults when it does
 * not exist (logged through `logger` when given). Handlers, the run's first job and `license-sync sync` all read it here. Throws an InputError naming the key (or YAML line) and the fix.
 *
 * Not `context.config`: Probot's config plugin falls back to the organization's `.github`
 * repository and follows `_extends` into other repositories, so writers of those repositories
 * could decide who may run commands. The contract is one file, in the admin repository.
 *
 * @example
 *   const config = await readRepositoryConfig(context.octokit, { owner: "acme", repo: "license-admin" });
 *   config.schedule.cron // "0 6 * * 1"
 */
export async function readRepositoryConfig(
  octokit: Requester,
  location: ConfigLocation,
  logger?: Pick<Log, "info">,
): Promise<RepositoryConfig> {
  const text = await fetchConfigText(octokit, location);
  if (text !== null) return parseRepositoryConfigText(text);
  // Absent is allowed (defaults), but said: a misplaced file would otherwise go unnoticed.
  logger?.info(
    { repository: `${location.owner}/${location.repo}`, path: REPOSITORY_CONFIG_PATH },
    `no ${REPOSITORY_CONFIG_PATH} in ${location.owner}/${location.repo}; using the defaults`,
  );
  return parseRepositoryConfig(null);
}

/** Largest `.github/license-sync.yml` read: a policy file is a few hundred bytes, and untrusted. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The file's text, or null when the repository has none. A directory or submodule at the path
 * is told apart from a file; a file over 1 MB is refused by the size GitHub reports, unread.
 */
async function fetchConfigText(octokit: Requester, { owner, repo, ref }: ConfigLocation): Promise<string | null> {
  try {
    const file = await repositoryEntry(octokit, { owner, repo, path: REPOSITORY_CONFIG_PATH, ref });
    if (file.type !== "file") throw new InputError(REPOSITORY_CONFIG_PATH, "", "is not a file", REPOSITORY_CONFIG_FIX);
    if (file.size > MAX_CONFIG_BYTES)
      throw new InputError(REPOSITORY_CONFIG_PATH, "", "is larger than 1 MB", REPOSITORY_CONFIG_FIX);
    return (await file.bytes()).toString("utf8");
  } catch (error) {
    if (httpStatusOf(error) === 404) return null;
    throw error;
  }
}
