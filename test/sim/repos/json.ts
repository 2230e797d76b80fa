import { simpleUser } from "../routes/users.js";
import type { Actor, Issue, IssueComment, Label, Reaction, Repo } from "./model.js";

/** GitHub's HTML root; links there are never followed by the app, only shown. */
export const WEB = "https://github.com";
/** GitHub timestamps: ISO 8601 without milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
const nodeId = (prefix: string, id: number): string => `${prefix}_kwDO${Buffer.from(String(id)).toString("base64url")}`;

/** The acting user or bot as GitHub embeds it (`user`, `author`). */
export function actorJson(api: string, actor: Actor): Record<string, unknown> {
  return simpleUser(api, WEB, actor.login, actor.id, actor.type);
}

/** GitHub's label object. */
export function labelJson(api: string, repo: Repo, label: Label): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId("LA", label.id),
    url: `${api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: label.default,
  };
}

/** The reaction rollup GitHub embeds in issues and comments. */
function rollup(url: string, reactions: Reaction[]): Record<string, unknown> {
  const count = (content: string): number => reactions.filter((r) => r.content === content).length;
  const contents = ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"];
  return {
    url: `${url}/reactions`,
    total_count: reactions.length,
    ...Object.fromEntries(contents.map((c) => [c, count(c)])),
  };
}

/** GitHub's reaction object. */
export function reactionJson(api: string, reaction: Reaction): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: nodeId("REA", reaction.id),
    user: actorJson(api, reaction.user),
    content: reaction.content,
    created_at: iso(reaction.createdAt),
  };
}

/** GitHub's issue object (never a pull request here). */
export function issueJson(api: string, repo: Repo, issue: Issue): Record<string, unknown> {
  const url = `${api}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`;
  return {
    id: issue.id,
    node_id: nodeId("I", issue.id),
    url,
    repository_url: `${api}/repos/${repo.owner}/${repo.name}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: actorJson(api, issue.user),
    labels: issue.labels
      .map((name) => repo.labels.get(name.toLowerCase()))
      .filter((l): l is Label => !!l)
      .map((l) => labelJson(api, repo, l)),
    assignee: issue.assignees[0] ? simpleUser(api, WEB, issue.assignees[0], 7, "User") : null,
    assignees: issue.assignees.map((login, i) => simpleUser(api, WEB, login, 7 + i, "User")),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: issue.comments.length,
    closed_at: issue.closedAt === null ? null : iso(issue.closedAt),
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    author_association: issue.user.type === "Bot" ? "NONE" : "MEMBER",
    reactions: rollup(url, issue.reactions),
  };
}

/** GitHub's issue comment object. */
export function commentJson(api: string, repo: Repo, comment: IssueComment): Record<string, unknown> {
  const url = `${api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId("IC", comment.id),
    url,
    html_url: `${WEB}/${repo.owner}/${repo.name}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: actorJson(api, comment.user),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.updatedAt),
    issue_url: `${api}/repos/${repo.owner}/${repo.name}/issues/${comment.issueNumber}`,
    author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
    reactions: rollup(url, comment.reactions),
  };
}
