import { iso, WEB } from "../repos/json.js";
import type { Repo } from "../repos/model.js";
import { simpleUser } from "./users.js";

/** GitHub's full repository object: every URL template and counter the schema requires. */
export function repoJson(api: string, repo: Repo): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}`;
  const templates = Object.fromEntries(
    [
      ["archive_url", "/{archive_format}{/ref}"], ["assignees_url", "/assignees{/user}"], ["blobs_url", "/git/blobs{/sha}"],
      ["branches_url", "/branches{/branch}"], ["collaborators_url", "/collaborators{/collaborator}"], ["comments_url", "/comments{/number}"],
      ["commits_url", "/commits{/sha}"], ["compare_url", "/compare/{base}...{head}"], ["contents_url", "/contents/{+path}"],
      ["contributors_url", "/contributors"], ["deployments_url", "/deployments"], ["downloads_url", "/downloads"], ["events_url", "/events"],
      ["forks_url", "/forks"], ["git_commits_url", "/git/commits{/sha}"], ["git_refs_url", "/git/refs{/sha}"], ["git_tags_url", "/git/tags{/sha}"],
      ["hooks_url", "/hooks"], ["issue_comment_url", "/issues/comments{/number}"], ["issue_events_url", "/issues/events{/number}"],
      ["issues_url", "/issues{/number}"], ["keys_url", "/keys{/key_id}"], ["labels_url", "/labels{/name}"], ["languages_url", "/languages"],
      ["merges_url", "/merges"], ["milestones_url", "/milestones{/number}"], ["notifications_url", "/notifications{?since,all,participating}"],
      ["pulls_url", "/pulls{/number}"], ["releases_url", "/releases{/id}"], ["stargazers_url", "/stargazers"], ["statuses_url", "/statuses/{sha}"],
      ["subscribers_url", "/subscribers"], ["subscription_url", "/subscription"], ["tags_url", "/tags"], ["teams_url", "/teams"], ["trees_url", "/git/trees{/sha}"],
    ].map(([field, suffix]) => [field, `${url}${suffix}`]),
  );
  const openIssues = repo.issues.filter((i) => i.state === "open").length;
  return {
    id: repo.id,
    node_id: `R_kgDO${Buffer.from(String(repo.id)).toString("base64url")}`,
    name: repo.name,
    full_name: full,
    owner: simpleUser(api, WEB, repo.owner, 9_000 + (repo.id % 1000), "Organization"),
    private: repo.private,
    visibility: repo.private ? "private" : "public",
    html_url: `${WEB}/${full}`,
    description: null,
    fork: false,
    url,
    ...templates,
    clone_url: `${WEB}/${full}.git`,
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    svn_url: `${WEB}/${full}`,
    mirror_url: null,
    homepage: null,
    language: null,
    default_branch: repo.defaultBranch,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    network_count: 0,
    subscribers_count: 0,
    size: 1,
    open_issues: openIssues,
    open_issues_count: openIssues,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: iso(repo.createdAt),
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.createdAt),
  };
}
