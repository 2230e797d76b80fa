import { actorJson, commentJson, iso, reactionJson, WEB } from "../repos/json.js";
import type { Actor, IssueComment, Reaction, Repo } from "../repos/model.js";
import type { GitHubState } from "../repos/store.js";
import { linkHeader } from "../http/respond.js";
import type { Reply, Route } from "../http/types.js";
import { notFound, paging, validationFailed } from "./common.js";
import { bodyTooLong, REPO_AUTH } from "./issues.js";
import { isReply, repoAccess } from "./repo-access.js";

const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

function findComment(repo: Repo, id: string | undefined): IssueComment | undefined {
  for (const issue of repo.issues) {
    const comment = issue.comments.find((c) => c.id === Number(id));
    if (comment) return comment;
  }
  return undefined;
}

/** 201 for a new reaction, 200 with the existing one when this user already reacted so. */
function react(github: GitHubState, api: string, list: Reaction[], actor: Actor, content: unknown): Reply {
  if (typeof content !== "string" || !REACTIONS.includes(content))
    return validationFailed([{ resource: "Reaction", code: "invalid", field: "content" }]);
  const existing = list.find((r) => r.content === content && r.user.login === actor.login);
  if (existing) return { status: 200, body: reactionJson(api, existing) };
  const reaction: Reaction = { id: github.nextId(), content, user: actor, createdAt: github.now() };
  list.push(reaction);
  return { status: 201, body: reactionJson(api, reaction) };
}

/** Issue comments, reactions, and commit comments. */
export function commentRoutes(): Route[] {
  const route = (method: string, pattern: string, handler: Route["handler"]): Route => ({
    name: `${method} ${pattern}`,
    target: "cloud",
    method,
    pattern,
    auth: REPO_AUTH,
    handler,
  });
  return [
    route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "write" });
      if (isReply(access)) return access;
      const issue = access.repo.issues.find((i) => i.number === Number(req.params.issue_number));
      if (!issue) return notFound();
      const body = (req.body as { body?: unknown } | undefined)?.body;
      if (typeof body !== "string" || body === "")
        return validationFailed([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
      const tooLong = bodyTooLong("IssueComment", body);
      if (tooLong) return tooLong;
      const now = sim.github.now();
      const comment: IssueComment = {
        id: sim.github.nextId(),
        issueNumber: issue.number,
        body,
        user: access.actor,
        createdAt: now,
        updatedAt: now,
        reactions: [],
      };
      issue.comments.push(comment);
      issue.updatedAt = now;
      return { status: 201, body: commentJson(req.baseUrl, access.repo, comment) };
    }),
    route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "read" });
      if (isReply(access)) return access;
      const issue = access.repo.issues.find((i) => i.number === Number(req.params.issue_number));
      if (!issue) return notFound();
      const { perPage, page } = paging(req.query);
      const link = linkHeader(req.url, page, Math.max(1, Math.ceil(issue.comments.length / perPage)));
      const body = issue.comments
        .slice((page - 1) * perPage, page * perPage)
        .map((c) => commentJson(req.baseUrl, access.repo, c));
      return { status: 200, headers: link ? { link } : {}, body };
    }),
    route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "read" });
      if (isReply(access)) return access;
      const comment = findComment(access.repo, req.params.comment_id);
      return comment ? { status: 200, body: commentJson(req.baseUrl, access.repo, comment) } : notFound();
    }),
    route("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "write" });
      if (isReply(access)) return access;
      const comment = findComment(access.repo, req.params.comment_id);
      if (!comment) return notFound();
      const body = (req.body as { body?: unknown } | undefined)?.body;
      if (typeof body !== "string")
        return validationFailed([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
      const tooLong = bodyTooLong("IssueComment", body);
      if (tooLong) return tooLong;
      comment.body = body;
      comment.updatedAt = sim.github.now();
      return { status: 200, body: commentJson(req.baseUrl, access.repo, comment) };
    }),
    route("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "write" });
      if (isReply(access)) return access;
      const comment = findComment(access.repo, req.params.comment_id);
      if (!comment) return notFound();
      return react(
        sim.github,
        req.baseUrl,
        comment.reactions,
        access.actor,
        (req.body as { content?: unknown } | undefined)?.content,
      );
    }),
    route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/reactions", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "write" });
      if (isReply(access)) return access;
      const issue = access.repo.issues.find((i) => i.number === Number(req.params.issue_number));
      if (!issue) return notFound();
      return react(
        sim.github,
        req.baseUrl,
        issue.reactions,
        access.actor,
        (req.body as { content?: unknown } | undefined)?.content,
      );
    }),
    route("POST", "/repos/{owner}/{repo}/commits/{commit_sha}/comments", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "contents", level: "write" });
      if (isReply(access)) return access;
      const { repo, actor } = access;
      const sha = [...repo.commits.keys()].find(
        (s) => s.startsWith((req.params.commit_sha ?? "").toLowerCase()) && (req.params.commit_sha ?? "").length >= 7,
      );
      if (!sha)
        return validationFailed([
          {
            resource: "CommitComment",
            code: "invalid",
            field: "commit_id",
            message: `No commit found for SHA: ${req.params.commit_sha ?? ""}`,
          },
        ]);
      const input = (req.body ?? {}) as { body?: unknown; path?: unknown; position?: unknown; line?: unknown };
      if (typeof input.body !== "string" || input.body === "")
        return validationFailed([{ resource: "CommitComment", code: "missing_field", field: "body" }]);
      const now = sim.github.now();
      const comment = {
        id: sim.github.nextId(),
        commitId: sha,
        body: input.body,
        user: actor,
        createdAt: now,
        path: typeof input.path === "string" ? input.path : null,
        position: typeof input.position === "number" ? input.position : null,
        line: typeof input.line === "number" ? input.line : null,
      };
      repo.commitComments.push(comment);
      return {
        status: 201,
        body: {
          url: `${req.baseUrl}/repos/${repo.owner}/${repo.name}/comments/${comment.id}`,
          html_url: `${WEB}/${repo.owner}/${repo.name}/commit/${sha}#commitcomment-${comment.id}`,
          id: comment.id,
          node_id: `CC_${comment.id}`,
          user: actorJson(req.baseUrl, actor),
          position: comment.position,
          line: comment.line,
          path: comment.path,
          commit_id: sha,
          body: comment.body,
          author_association: actor.type === "Bot" ? "NONE" : "MEMBER",
          created_at: iso(now),
          updated_at: iso(now),
        },
      };
    }),
  ];
}
