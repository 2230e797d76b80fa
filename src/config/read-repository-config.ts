import { parseDocument } from "yaml";
import { InputError } from "../shared/errors.js";
import type { GitHubClient } from "../github/client.js";
import type { Log } from "../github/logger.js";
import { REPOSITORY_CONFIG_PATH, parseRepositoryConfig } from "./load-repository.js";
import type { RepositoryConfig } from "./repository.js";

/** Any Octokit will do (Probot's, or one of src/github): only `request` is used. */
type Requester = Pick<GitHubClient, "request">;

const FIX = "Fix .github/license-sync.yml (see docs/configuration.md), or delete it to use the defaults.";

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

/**
 * Parses the text of a repository config (from the admin repository, or a local file given to
 * `license-sync sync --repo-config`): YAML errors name the line, schema errors the key.
 */
export function parseRepositoryConfigText(text: string, source = REPOSITORY_CONFIG_PATH): RepositoryConfig {
  const document = parseDocument(text, { prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line;
    throw new InputError(source, line ? `line ${line}` : "", `invalid YAML (${yamlError.message.split("\n")[0]})`, FIX);
  }
  const raw = document.toJS() as unknown;
  // An empty file is YAML null: the defaults, as if the file were absent.
  if (raw !== null && (typeof raw !== "object" || Array.isArray(raw)))
    throw new InputError(source, "(top level)", "expected a mapping of keys", FIX);
  return parseRepositoryConfig(raw, source);
}

/**
 * The file's text, or null when the repository has none. The JSON envelope (base64 content) and
 * not the raw media type: the file is far below the envelope's 1 MB, and a directory or submodule
 * at the path is then told apart from a file.
 */
async function fetchConfigText(octokit: Requester, { owner, repo, ref }: ConfigLocation): Promise<string | null> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo,
      path: REPOSITORY_CONFIG_PATH,
      ...(ref ? { ref } : {}),
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data))
      throw new InputError(REPOSITORY_CONFIG_PATH, "", "is not a file", FIX);
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}
