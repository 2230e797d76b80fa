import { assertUsageFileSize, unpackUsageFile, type UsageFileLimits } from "../collect/index.js";
import { type GitHubClient, httpStatusOf, repositoryEntry } from "../github/index.js";
import { InputError } from "../shared/index.js";
import { streamOf, type UsageFileOpener } from "./deps.js";

/**
 * Opens usage files (air-gapped GHES) from the admin repository, at the commit a push named or
 * the default branch. The contents API inlines files up to 1 MB; larger ones come through the
 * git blob API (up to 100 MB). `*.gz` files are gunzipped. Files over `limits` are refused: by the
 * size GitHub reports before they are fetched, and by counting as they are gunzipped.
 *
 * @example
 *   const deps = createPipelineDeps({ ..., openUsageFile: adminRepositoryUsageFiles(octokit, "acme", "license-admin", usageFileLimits(deployment)) });
 */
export function adminRepositoryUsageFiles(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  limits: UsageFileLimits,
): UsageFileOpener {
  return async (path, ref) => {
    let bytes: Buffer;
    try {
      const file = await repositoryEntry(octokit, { owner, repo, path, ref });
      if (file.type !== "file")
        throw new InputError(
          path,
          "",
          `is not a file in ${owner}/${repo}`,
          "Point servers[].usageFile at the usage file's path in the admin repository.",
        );
      assertUsageFileSize(path, file.size, limits);
      bytes = await file.bytes();
    } catch (error) {
      if (httpStatusOf(error) !== 404) throw error;
      throw new InputError(
        path,
        "",
        `usage file not found in ${owner}/${repo}${ref ? ` at ${ref}` : ""}`,
        "Export it with `license-sync export` and commit it there, or fix servers[].usageFile.",
      );
    }
    return unpackUsageFile(streamOf(bytes), path, limits);
  };
}
