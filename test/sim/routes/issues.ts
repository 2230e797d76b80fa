import { issueJson } from "../repos/json.js";
import type { Issue, Repo } from "../repos/model.js";
import type { GitHubState } from "../repos/store.js";
import { linkHeader } from "../http/respond.js";
import type { AuthPolicy, Reply, Route, SimRequest } from "../http/types.js";
import { notFound, paging, validationFailed } from "./common.js";
import { isReply, repoAccess } from "./repo-access.js";

/** Repository routes take installation tokens or classic PATs; access is checked per repository. */
export const REPO_AUTH: AuthPolicy = { schemes: ["token"], installations: true };
/** GitHub's limit on issue and comment bodies. */
export const MAX_BODY = 65_536;

/** 422 for a body over GitHub's limit, as GitHub words it. */
export function bodyTooLong(resource: "Issue" | "IssueComment", body: unknown): Reply | null {
  if (typeof body !== "string" || body.length <= MAX_BODY) return null;
  return validationFailed([
    { resource, code: "custom", field: "body", message: `body is too long (maximum is ${MAX_BODY} characters)` },
  ]);
}

/** Label names from `["a", {name: "b"}]`, created when missing (as the API does for writers). */
function labelNames(github: GitHubState, repo: Repo, labels: unknown): string[] {
  if (!Array.isArray(labels)) return [];
  const names = labels
    .map((l: unknown) => (typeof l === "string" ? l : String((l as { name?: unknown }).name ?? "")))
    .filter((n) => n !== "");
  return [
    ...new Set(
      names.map((name) => {
        if (!repo.labels.has(name.toLowerCase())) github.addLabel(repo, name, "ededed", null);
        return repo.labels.get(name.toLowerCase())?.name ?? name;
      }),
    ),
  ];
}

function findIssue(repo: Repo, req: SimRequest): Issue | undefined {
  return repo.issues.find((i) => i.number === Number(req.params.issue_number));
}

/** Issues: create, get, update, list with GitHub's filters and pagination. */
export function issueRoutes(): Route[] {
  const route = (method: string, pattern: string, handler: Route["handler"]): Route => ({
    name: `${method} ${pattern}`,
    target: "cloud",
    method,
    pattern,
    auth: REPO_AUTH,
    handler,
  });
  return [
    route("POST", "/repos/{owner}/{repo}/issues", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "write" });
      if (isReply(access)) return access;
      const input = (req.body ?? {}) as { title?: unknown; body?: unknown; labels?: unknown; assignees?: unknown };
      if (typeof input.title !== "string" || input.title === "")
        return validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }]);
      const tooLong = bodyTooLong("Issue", input.body);
      if (tooLong) return tooLong;
      const { repo, actor } = access;
      const now = sim.github.now();
      const issue: Issue = {
        id: sim.github.nextId(),
        number: repo.nextIssueNumber++,
        title: input.title,
        body: typeof input.body === "string" ? input.body : null,
        state: "open",
        stateReason: null,
        labels: labelNames(sim.github, repo, input.labels),
        assignees: Array.isArray(input.assignees) ? input.assignees.map(String) : [],
        user: actor,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        comments: [],
        reactions: [],
      };
      repo.issues.push(issue);
      return {
        status: 201,
        headers: { location: `${req.baseUrl}/repos/${repo.owner}/${repo.name}/issues/${issue.number}` },
        body: issueJson(req.baseUrl, repo, issue),
      };
    }),
    route("GET", "/repos/{owner}/{repo}/issues/{issue_number}", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "read" });
      if (isReply(access)) return access;
      const issue = findIssue(access.repo, req);
      return issue ? { status: 200, body: issueJson(req.baseUrl, access.repo, issue) } : notFound();
    }),
    route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "write" });
      if (isReply(access)) return access;
      const issue = findIssue(access.repo, req);
      if (!issue) return notFound();
      const input = (req.body ?? {}) as {
        title?: unknown;
        body?: unknown;
        state?: unknown;
        state_reason?: unknown;
        labels?: unknown;
        assignees?: unknown;
      };
      const tooLong = bodyTooLong("Issue", input.body);
      if (tooLong) return tooLong;
      if (input.state !== undefined && input.state !== "open" && input.state !== "closed")
        return validationFailed([{ resource: "Issue", code: "invalid", field: "state" }]);
      const now = sim.github.now();
      if (typeof input.title === "string") issue.title = input.title;
      if (typeof input.body === "string" || input.body === null) issue.body = input.body;
      if (input.labels !== undefined) issue.labels = labelNames(sim.github, access.repo, input.labels);
      if (Array.isArray(input.assignees)) issue.assignees = input.assignees.map(String);
      if (input.state === "closed" && issue.state === "open") {
        issue.state = "closed";
        issue.closedAt = now;
        issue.stateReason = (input.state_reason as Issue["stateReason"]) ?? "completed";
      } else if (input.state === "open" && issue.state === "closed") {
        issue.state = "open";
        issue.closedAt = null;
        issue.stateReason = "reopened";
      }
      issue.updatedAt = now;
      return { status: 200, body: issueJson(req.baseUrl, access.repo, issue) };
    }),
    route("GET", "/repos/{owner}/{repo}/issues", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "read" });
      if (isReply(access)) return access;
      const state = req.query.get("state") ?? "open";
      const wanted = (req.query.get("labels") ?? "")
        .split(",")
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean);
      const creator = req.query.get("creator")?.toLowerCase();
      const sort = req.query.get("sort") === "updated" ? "updatedAt" : "createdAt";
      const direction = req.query.get("direction") === "asc" ? 1 : -1;
      const matching = access.repo.issues
        .filter((i) => state === "all" || i.state === state)
        .filter((i) => wanted.every((l) => i.labels.some((name) => name.toLowerCase() === l)))
        .filter((i) => !creator || i.user.login.toLowerCase() === creator)
        .sort((a, b) => direction * (a[sort] - b[sort] || a.number - b.number));
      const { perPage, page } = paging(req.query);
      const link = linkHeader(req.url, page, Math.max(1, Math.ceil(matching.length / perPage)));
      const body = matching
        .slice((page - 1) * perPage, page * perPage)
        .map((i) => issueJson(req.baseUrl, access.repo, i));
      return { status: 200, headers: link ? { link } : {}, body };
    }),
  ];
}
