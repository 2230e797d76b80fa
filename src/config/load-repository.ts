import { parseDocument } from "yaml";
import { InputError } from "../shared/index.js";
import { repositoryConfigSchema, type RepositoryConfig } from "./repository.js";
import { configError } from "./zod-error.js";

export const REPOSITORY_CONFIG_PATH = ".github/license-sync.yml";

/** The fix every repository config error names. */
export const REPOSITORY_CONFIG_FIX =
  "Fix .github/license-sync.yml (see docs/configuration.md), or delete it to use the defaults.";

/**
 * Validates what Probot's config plugin read from `.github/license-sync.yml` (null when the file
 * does not exist: defaults apply). Throws an InputError naming the key and the fix.
 */
export function parseRepositoryConfig(raw: unknown, source = REPOSITORY_CONFIG_PATH): RepositoryConfig {
  const parsed = repositoryConfigSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw configError(
      source,
      parsed.error,
      "Fix the key in .github/license-sync.yml (see docs/configuration.md), or remove it to use the default.",
      repositoryConfigSchema,
    );
  return parsed.data;
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
    throw new InputError(
      source,
      line ? `line ${line}` : "",
      `invalid YAML (${yamlError.message.split("\n")[0]})`,
      REPOSITORY_CONFIG_FIX,
    );
  }
  const raw = document.toJS() as unknown;
  // An empty file is YAML null: the defaults, as if the file were absent.
  if (raw !== null && (typeof raw !== "object" || Array.isArray(raw)))
    throw new InputError(source, "(top level)", "expected a mapping of keys", REPOSITORY_CONFIG_FIX);
  return parseRepositoryConfig(raw, source);
}
