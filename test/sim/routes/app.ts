import { hash32 } from "../prng.js";
import { iso, WEB } from "../repos/json.js";
import type { Installation } from "../repos/model.js";
import type { AuthPolicy, Route, SimContext } from "../http/types.js";
import { notFound } from "./common.js";
import { repoJson } from "./repo-json.js";
import { simpleUser } from "./users.js";

const JWT: AuthPolicy = { schemes: ["jwt"] };
const TOKEN_TTL_MS = 3_600_000;

function installationJson(api: string, sim: SimContext, i: Installation): Record<string, unknown> {
  return {
    id: i.id,
    // GitHub's description types `account` as allOf [Simple User, Enterprise] (a quirk: it means
    // either), so the enterprise keys ride along to keep responses valid against it.
    account: {
      ...simpleUser(
        api,
        WEB,
        i.account.login,
        i.account.id,
        i.account.type === "Enterprise" ? "Organization" : i.account.type,
      ),
      name: i.account.login,
      slug: i.account.login,
      created_at: iso(i.createdAt),
      updated_at: iso(i.createdAt),
    },
    repository_selection: i.repositories === "all" ? "all" : "selected",
    access_tokens_url: `${api}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${api}/installation/repositories`,
    html_url: `${WEB}/organizations/${i.account.login}/settings/installations/${i.id}`,
    app_id: sim.app.id,
    app_slug: sim.app.slug,
    target_id: i.account.id,
    target_type: i.account.type,
    permissions: i.permissions,
    events: i.events,
    created_at: iso(i.createdAt),
    updated_at: iso(i.createdAt),
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The App (JWT) side: installations and installation tokens, which the simulator then accepts. */
export function appRoutes(): Route[] {
  const jwtRoute = (name: string, pattern: string, handler: Route["handler"], method = "GET"): Route => ({
    name: `${method} ${name}`,
    target: "cloud",
    method,
    pattern,
    auth: JWT,
    handler,
  });
  return [
    jwtRoute("/app", "/app", (req, sim) => ({
      status: 200,
      body: {
        id: sim.app.id,
        slug: sim.app.slug,
        name: sim.app.slug,
        node_id: `A_${sim.app.id}`,
        owner: null,
        description: "",
        external_url: WEB,
        html_url: `${WEB}/apps/${sim.app.slug}`,
        created_at: iso(0),
        updated_at: iso(0),
        permissions: {},
        events: [],
      },
    })),
    jwtRoute("/app/installations", "/app/installations", (req, sim) => ({
      status: 200,
      body: [...sim.github.installations.values()].map((i) => installationJson(req.baseUrl, sim, i)),
    })),
    jwtRoute("/app/installations/{installation_id}", "/app/installations/{installation_id}", (req, sim) => {
      const installation = sim.github.installations.get(Number(req.params.installation_id));
      return installation ? { status: 200, body: installationJson(req.baseUrl, sim, installation) } : notFound();
    }),
    jwtRoute(
      "/app/installations/{installation_id}/access_tokens",
      "/app/installations/{installation_id}/access_tokens",
      (req, sim) => {
        const installation = sim.github.installations.get(Number(req.params.installation_id));
        if (!installation) return notFound();
        const n = sim.tokens.installations.size + 1;
        const token =
          `ghs_${hash32(installation.id, n).toString(36)}${hash32(n, installation.id).toString(36)}sim${n}`.padEnd(
            40,
            "0",
          );
        // Real time, not the simulated clock: the auth check compares with Date.now().
        const expiresAt = Date.now() + TOKEN_TTL_MS;
        sim.tokens.installations.set(token, { installationId: installation.id, expiresAt });
        return {
          status: 201,
          body: {
            token,
            expires_at: iso(expiresAt),
            permissions: installation.permissions,
            repository_selection: installation.repositories === "all" ? "all" : "selected",
          },
        };
      },
      "POST",
    ),
    jwtRoute("/repos/{owner}/{repo}/installation", "/repos/{owner}/{repo}/installation", (req, sim) => {
      const found = [...sim.github.installations.values()].find(
        (i) =>
          sim.github.repo(req.params.owner ?? "", req.params.repo ?? "") &&
          sim.github.covers(i, req.params.owner ?? "", req.params.repo ?? ""),
      );
      return found ? { status: 200, body: installationJson(req.baseUrl, sim, found) } : notFound();
    }),
    jwtRoute("/orgs/{org}/installation", "/orgs/{org}/installation", (req, sim) => {
      const found = sim.github.installationForAccount(req.params.org ?? "");
      return found && found.account.type === "Organization"
        ? { status: 200, body: installationJson(req.baseUrl, sim, found) }
        : notFound();
    }),
    {
      name: "GET /installation/repositories",
      target: "cloud",
      method: "GET",
      pattern: "/installation/repositories",
      auth: { schemes: ["token"], installations: true },
      handler(req, sim) {
        if (req.caller.kind !== "installation")
          return { status: 403, body: { message: "This endpoint requires an installation token" } };
        const installation = sim.github.installations.get(req.caller.installationId);
        const repos = [...sim.github.repos.values()].filter(
          (r) => installation && sim.github.covers(installation, r.owner, r.name),
        );
        return {
          status: 200,
          body: { total_count: repos.length, repositories: repos.map((r) => repoJson(req.baseUrl, r)) },
        };
      },
    },
  ];
}
