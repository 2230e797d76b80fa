import { base64Lines } from "../repos/git.js";
import { iso, WEB } from "../repos/json.js";
import type { Blob, Commit, Repo } from "../repos/model.js";
import type { Reply, Route } from "../http/types.js";
import { validationFailed } from "./common.js";
import { REPO_AUTH } from "./issues.js";
import { isReply, repoAccess } from "./repo-access.js";

/** A branch name (or `heads/x`, `refs/heads/x`) or a commit sha, resolved to its commit. */
function resolveRef(repo: Repo, ref: string | null): Commit | undefined {
  const name = (ref ?? repo.defaultBranch).replace(/^(refs\/)?heads\//, "");
  const sha =
    repo.branches.get(name) ??
    [...repo.commits.keys()].find((s) => name.length >= 7 && s.startsWith(name.toLowerCase()));
  return sha === undefined ? undefined : repo.commits.get(sha);
}

function entryJson(api: string, repo: Repo, ref: string, path: string, blob: Blob | null): Record<string, unknown> {
  const url = `${api}/repos/${repo.owner}/${repo.name}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const sha = blob?.sha ?? "0".repeat(40);
  const html = `${WEB}/${repo.owner}/${repo.name}/${blob ? "blob" : "tree"}/${ref}/${path}`;
  const git = `${api}/repos/${repo.owner}/${repo.name}/git/${blob ? "blobs" : "trees"}/${sha}`;
  return {
    type: blob ? "file" : "dir",
    size: blob?.content.length ?? 0,
    name: path.split("/").at(-1) ?? path,
    path,
    sha,
    url,
    git_url: git,
    html_url: html,
    download_url: blob ? `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref}/${path}` : null,
    _links: { self: url, git, html },
  };
}

function message(status: number, text: string): Reply {
  return {
    status,
    body: { message: text, documentation_url: "https://docs.github.com/rest/repos/contents", status: String(status) },
  };
}

/** Contents: read a file or directory at a ref; create or update a file with sha checks. */
export function contentRoutes(): Route[] {
  const route = (method: string, handler: Route["handler"]): Route => ({
    name: `${method} /repos/{owner}/{repo}/contents/{path}`,
    target: "cloud",
    method,
    pattern: "/repos/{owner}/{repo}/contents/{path+}",
    auth: REPO_AUTH,
    handler,
  });
  return [
    route("GET", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "contents", level: "read" });
      if (isReply(access)) return access;
      const ref = req.query.get("ref");
      const commit = resolveRef(access.repo, ref);
      if (!commit) return message(404, `No commit found for the ref ${ref ?? ""}`);
      const path = (req.params.path ?? "").replace(/\/$/, "");
      const refName = ref ?? access.repo.defaultBranch;
      const blob = commit.tree.get(path);
      if (blob)
        return {
          status: 200,
          body: {
            ...entryJson(req.baseUrl, access.repo, refName, path, blob),
            content: base64Lines(blob.content),
            encoding: "base64",
          },
        };
      const children = new Map<string, Blob | null>();
      for (const [file, b] of commit.tree) {
        if (!file.startsWith(`${path}/`)) continue;
        const rest = file.slice(path.length + 1);
        const name = rest.split("/")[0] ?? rest;
        children.set(`${path}/${name}`, rest.includes("/") ? null : b);
      }
      if (children.size === 0) return message(404, "Not Found");
      return {
        status: 200,
        body: [...children]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([p, b]) => entryJson(req.baseUrl, access.repo, refName, p, b)),
      };
    }),
    route("PUT", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "contents", level: "write" });
      if (isReply(access)) return access;
      const { repo, actor } = access;
      const input = (req.body ?? {}) as { message?: unknown; content?: unknown; sha?: unknown; branch?: unknown };
      if (typeof input.message !== "string")
        return validationFailed(
          [{ resource: "Commit", code: "missing_field", field: "message" }],
          'Invalid request.\n\n"message" wasn\'t supplied.',
        );
      if (typeof input.content !== "string")
        return validationFailed(
          [{ resource: "Commit", code: "missing_field", field: "content" }],
          'Invalid request.\n\n"content" wasn\'t supplied.',
        );
      const branch = typeof input.branch === "string" ? input.branch : repo.defaultBranch;
      const head = repo.branches.get(branch);
      if (!head) return message(404, `Branch ${branch} not found`);
      const path = req.params.path ?? "";
      const current = repo.commits.get(head)?.tree.get(path);
      // Optimistic concurrency as on GitHub: updates must name the sha they replace.
      if (current && input.sha === undefined)
        return validationFailed(
          [{ resource: "Commit", code: "missing_field", field: "sha" }],
          'Invalid request.\n\n"sha" wasn\'t supplied.',
        );
      if (current && input.sha !== current.sha) return message(409, `${path} does not match ${String(input.sha)}`);
      const commit = sim.github.commit(
        repo,
        branch,
        new Map([[path, Buffer.from(input.content, "base64")]]),
        input.message,
        { name: actor.login, email: `${actor.id}+${actor.login}@users.noreply.github.com` },
      );
      const blob = commit.tree.get(path) ?? null;
      const who = { name: commit.author.name, email: commit.author.email, date: iso(commit.date) };
      return {
        status: current ? 200 : 201,
        body: {
          content: entryJson(req.baseUrl, repo, branch, path, blob),
          commit: {
            sha: commit.sha,
            node_id: `C_${commit.sha.slice(0, 12)}`,
            url: `${req.baseUrl}/repos/${repo.owner}/${repo.name}/git/commits/${commit.sha}`,
            html_url: `${WEB}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
            author: who,
            committer: who,
            message: commit.message,
            tree: {
              sha: commit.treeSha,
              url: `${req.baseUrl}/repos/${repo.owner}/${repo.name}/git/trees/${commit.treeSha}`,
            },
            parents: commit.parent
              ? [
                  {
                    sha: commit.parent,
                    url: `${req.baseUrl}/repos/${repo.owner}/${repo.name}/git/commits/${commit.parent}`,
                    html_url: `${WEB}/${repo.owner}/${repo.name}/commit/${commit.parent}`,
                  },
                ]
              : [],
            verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
          },
        },
      };
    }),
  ];
}
