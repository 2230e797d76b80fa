import { labelJson } from "../repos/json.js";
import { linkHeader } from "../http/respond.js";
import type { Route } from "../http/types.js";
import { notFound, paging, validationFailed } from "./common.js";
import { REPO_AUTH } from "./issues.js";
import { isReply, repoAccess } from "./repo-access.js";

/** Labels: list, get by name, create (422 `already_exists` when the name is taken, in any case). */
export function labelRoutes(): Route[] {
  const route = (method: string, pattern: string, handler: Route["handler"]): Route => ({
    name: `${method} ${pattern}`,
    target: "cloud",
    method,
    pattern,
    auth: REPO_AUTH,
    handler,
  });
  return [
    route("GET", "/repos/{owner}/{repo}/labels", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "read" });
      if (isReply(access)) return access;
      const labels = [...access.repo.labels.values()];
      const { perPage, page } = paging(req.query);
      const link = linkHeader(req.url, page, Math.max(1, Math.ceil(labels.length / perPage)));
      return {
        status: 200,
        headers: link ? { link } : {},
        body: labels.slice((page - 1) * perPage, page * perPage).map((l) => labelJson(req.baseUrl, access.repo, l)),
      };
    }),
    route("GET", "/repos/{owner}/{repo}/labels/{name}", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "read" });
      if (isReply(access)) return access;
      const label = access.repo.labels.get((req.params.name ?? "").toLowerCase());
      return label ? { status: 200, body: labelJson(req.baseUrl, access.repo, label) } : notFound();
    }),
    route("POST", "/repos/{owner}/{repo}/labels", (req, sim) => {
      const access = repoAccess(req, sim, { permission: "issues", level: "write" });
      if (isReply(access)) return access;
      const input = (req.body ?? {}) as { name?: unknown; color?: unknown; description?: unknown };
      if (typeof input.name !== "string" || input.name.trim() === "")
        return validationFailed([{ resource: "Label", code: "missing_field", field: "name" }]);
      const color = typeof input.color === "string" ? input.color.replace(/^#/, "") : "ededed";
      if (!/^[0-9a-fA-F]{6}$/.test(color))
        return validationFailed([{ resource: "Label", code: "invalid", field: "color" }]);
      if (access.repo.labels.has(input.name.toLowerCase()))
        return validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
      sim.github.addLabel(
        access.repo,
        input.name,
        color.toLowerCase(),
        typeof input.description === "string" ? input.description : null,
      );
      const label = access.repo.labels.get(input.name.toLowerCase());
      return label ? { status: 201, body: labelJson(req.baseUrl, access.repo, label) } : notFound();
    }),
  ];
}
