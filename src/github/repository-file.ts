import type { GitHubClient } from "./client.js";

/** Any Octokit will do (Probot's, or one of src/github): only `request` is used. */
export type Requester = Pick<GitHubClient, "request">;

/** A path in a repository, at a commit or branch (the default branch when `ref` is absent). */
export interface RepositoryPath {
  owner: string;
  repo: string;
  path: string;
  ref?: string;
}

/** A file: what GitHub reports of it, and its bytes fetched only when asked for. */
export interface RepositoryFile {
  type: "file";
  sha: string;
  /** Bytes as stored, known before any of them is fetched (to refuse a file by its size). */
  size: number;
  bytes(): Promise<Buffer>;
}

/** A directory: its entries (the contents API lists at most 1,000). */
export interface RepositoryDirectory {
  type: "dir";
  entries: Array<{ type: string; name: string; path: string; sha: string }>;
}

/** A symlink or a submodule: nothing to read. */
export interface OtherEntry {
  type: "other";
}

/**
 * What is at a path of a repository. The contents API inlines files up to 1 MB; larger ones (up
 * to 100 MB) come through the git blob API, and only when `bytes()` is called, so a caller can
 * refuse a file by `size` first. Octokit's error is thrown as it comes (404 when nothing is
 * there): each caller decides what absence means.
 *
 * @example
 *   const entry = await repositoryEntry(octokit, { owner: "acme", repo: "license-admin", path: ".github/license-sync.yml" });
 *   if (entry.type === "file") text = (await entry.bytes()).toString("utf8");
 */
export async function repositoryEntry(
  octokit: Requester,
  { owner, repo, path, ref }: RepositoryPath,
): Promise<RepositoryFile | RepositoryDirectory | OtherEntry> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
    owner,
    repo,
    path,
    ...(ref ? { ref } : {}),
  });
  if (Array.isArray(data))
    return { type: "dir", entries: data.map(({ type, name, path, sha }) => ({ type, name, path, sha })) };
  if (data.type !== "file") return { type: "other" };
  const inline = "content" in data && data.content ? data.content : "";
  return {
    type: "file",
    sha: data.sha,
    size: data.size,
    // An empty inline content means either an empty file or one over 1 MB: the size tells which.
    bytes: async () =>
      inline || !data.size
        ? Buffer.from(inline, "base64")
        : Buffer.from(
            (
              await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
                owner,
                repo,
                file_sha: data.sha,
              })
            ).data.content,
            "base64",
          ),
  };
}
