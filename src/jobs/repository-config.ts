import { parseDocument } from "yaml";
import { REPOSITORY_CONFIG_PATH, parseRepositoryConfig } from "../config/load-repository.js";
import type { RepositoryConfig } from "../config/repository.js";
import { InputError } from "../errors.js";
import type { GitHubClient } from "../github/client.js";

const FIX = "Fix .github/license-sync.yml (see docs/configuration.md), or delete it to use the defaults.";

/**
 * Reads `.github/license-sync.yml` of the admin repository when a run starts: the policy the run
 * follows is the one in force when it began. Defaults when the file does not exist; an
 * InputError naming the key (or YAML line) and the fix when it is invalid.
 *
 * @example const config = await loadRunRepositoryConfig(octokit, "acme", "license-admin");
 */
export async function loadRunRepositoryConfig(octokit: GitHubClient, owner: string, repo: string): Promise<RepositoryConfig> {
  let text: string;
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path: REPOSITORY_CONFIG_PATH });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) throw new InputError(REPOSITORY_CONFIG_PATH, "", "is not a file", FIX);
    text = Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status === 404) return parseRepositoryConfig(null);
    throw error;
  }
  const document = parseDocument(text, { prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line;
    throw new InputError(REPOSITORY_CONFIG_PATH, line ? `line ${line}` : "", `invalid YAML (${yamlError.message.split("\n")[0]})`, FIX);
  }
  const raw = document.toJS() as unknown;
  if (raw !== null && (typeof raw !== "object" || Array.isArray(raw))) throw new InputError(REPOSITORY_CONFIG_PATH, "(top level)", "expected a mapping of keys", FIX);
  return parseRepositoryConfig(raw);
}
