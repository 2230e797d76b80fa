import type { Actor, Repo } from "../repos/model.js";
import { GitHubState } from "../repos/store.js";
import { hashString } from "../prng.js";
import type { Reply, SimContext, SimRequest } from "../http/types.js";
import { notFound } from "./common.js";

/** What a route needs: an installation permission at a level (classic PATs need `repo`). */
export interface Need {
  permission: "issues" | "contents" | "metadata" | "members";
  level: "read" | "write";
}

/** The acting user of a request: the App's bot for installation tokens, the PAT's owner otherwise. */
export function actorOf(req: SimRequest, sim: SimContext): Actor {
  if (req.caller.kind === "installation") return GitHubState.bot(sim.app.slug, sim.app.id);
  const login = req.caller.kind === "pat" ? (req.caller.spec.login ?? "octocat") : "ghost";
  return { login, id: 1 + (hashString(login) % 9_000_000), type: "User" };
}

function forbidden(): Reply {
  return {
    status: 403,
    body: {
      message: "Resource not accessible by integration",
      documentation_url: "https://docs.github.com/rest",
      status: "403",
    },
  };
}

/**
 * Resolves `{owner}/{repo}` for the caller, answering as GitHub does: 404 for repositories the
 * caller cannot see (never revealing they exist), 403 when an installation lacks a permission.
 * Classic PATs with `repo` (or `public_repo` on public repositories) act with full access.
 */
export function repoAccess(req: SimRequest, sim: SimContext, need: Need): { repo: Repo; actor: Actor } | Reply {
  const repo = sim.github.repo(req.params.owner ?? "", req.params.repo ?? "");
  if (!repo) return notFound();
  const caller = req.caller;
  if (caller.kind === "pat") {
    const scopes = caller.spec.scopes;
    if (!scopes.includes("repo") && !(scopes.includes("public_repo") && !repo.private)) return notFound();
  } else if (caller.kind === "installation") {
    const installation = sim.github.installations.get(caller.installationId);
    if (!installation || !sim.github.covers(installation, repo.owner, repo.name)) return notFound();
    const granted = installation.permissions[need.permission];
    const ok = need.level === "read" ? granted !== undefined : granted === "write" || granted === "admin";
    if (!ok) return forbidden();
  } else {
    return notFound();
  }
  return { repo, actor: actorOf(req, sim) };
}

/** Whether `repoAccess` answered with an error. */
export function isReply(value: unknown): value is Reply {
  return (
    typeof value === "object" && value !== null && "status" in value && typeof (value as Reply).status === "number"
  );
}
