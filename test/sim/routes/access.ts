import { actorJson } from "../repos/json.js";
import type { Permission } from "../repos/model.js";
import type { Route } from "../http/types.js";
import { notFound } from "./common.js";
import { REPO_AUTH } from "./issues.js";
import { isReply, repoAccess } from "./repo-access.js";
import { repoJson } from "./repo-json.js";

/** `permission` folds the finer roles the way GitHub does; `role_name` keeps them. */
const LEGACY: Record<Permission, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

/** Who may do what: repository, collaborator permission, team membership. */
export function accessRoutes(): Route[] {
  const route = (pattern: string, handler: Route["handler"]): Route => ({
    name: `GET ${pattern}`,
    target: "cloud",
    method: "GET",
    pattern,
    auth: REPO_AUTH,
    handler,
  });
  return [
    route("/repos/{owner}/{repo}", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "metadata", level: "read" });
      return isReply(access) ? access : { status: 200, body: repoJson(req.baseUrl, access.repo) };
    }),
    route("/repos/{owner}/{repo}/collaborators/{username}/permission", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "metadata", level: "read" });
      if (isReply(access)) return access;
      const login = req.params.username ?? "";
      const role = access.repo.permissions.get(login.toLowerCase()) ?? "none";
      const user = { ...actorJson(req.baseUrl, { login, id: 5_000 + login.length, type: "User" }), role_name: role };
      return { status: 200, body: { permission: LEGACY[role], role_name: role, user } };
    }),
    route("/orgs/{org}/teams/{team_slug}/memberships/{username}", (req, sim) => {
      if (req.caller.kind === "installation") {
        const installation = sim.github.installations.get(req.caller.installationId);
        if (!installation || installation.account.login.toLowerCase() !== (req.params.org ?? "").toLowerCase())
          return notFound();
        if (!installation.permissions.members) {
          return {
            status: 403,
            body: {
              message: "Resource not accessible by integration",
              documentation_url: "https://docs.github.com/rest",
              status: "403",
            },
          };
        }
      } else if (
        req.caller.kind === "pat" &&
        !req.caller.spec.scopes.some((s) => s === "read:org" || s === "admin:org")
      ) {
        return notFound();
      }
      const { org = "", team_slug: team = "", username = "" } = req.params;
      const membership = sim.github.teamMembership(org, team, username);
      if (!membership) return notFound();
      return {
        status: 200,
        body: {
          url: `${req.baseUrl}/organizations/${org}/team/${team}/memberships/${username}`,
          role: membership.role,
          state: membership.state,
        },
      };
    }),
  ];
}
