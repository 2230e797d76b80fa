import { repositoryConfigSchema, type RepositoryConfig } from "./repository.js";
import { configError } from "./zod-error.js";

export const REPOSITORY_CONFIG_PATH = ".github/license-sync.yml";

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
