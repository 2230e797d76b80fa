import { assertUsageFileSize, unpackUsageFile, type UsageFileLimits } from "../collect/usage-file/limits.js";
import { InputError } from "../shared/errors.js";
import type { GitHubClient } from "../github/client.js";
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
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner,
        repo,
        path,
        ...(ref ? { ref } : {}),
      });
      if (Array.isArray(data) || data.type !== "file")
        throw new InputError(
          path,
          "",
          `is not a file in ${owner}/${repo}`,
          "Point servers[].usageFile at the usage file's path in the admin repository.",
        );
      assertUsageFileSize(path, data.size, limits);
      const inline = "content" in data && data.content ? data.content : "";
      if (inline || data.size === 0) bytes = Buffer.from(inline, "base64");
      else
        bytes = Buffer.from(
          (await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { owner, repo, file_sha: data.sha }))
            .data.content,
          "base64",
        );
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
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
