import { csvChunks } from "../csv.js";
import type { Dataset } from "../dataset.js";
import { ACCOUNT_ID_BASE, type ServerAccount } from "../people.js";
import type { AuthPolicy, Route, SimRequest } from "../http/types.js";
import { notFound } from "./common.js";
import { simpleUser } from "./users.js";

/** GHES admin endpoints need a site administrator's classic PAT (`site_admin`). */
const SITE_ADMIN: AuthPolicy = {
  schemes: ["token", "basic"],
  scopes: ["site_admin"],
  denyMessage: "Must have admin rights to use this endpoint.",
};
/** The report is a web route: HTTP basic auth with the login and the PAT (GitHub's API docs). */
const REPORT_AUTH: AuthPolicy = {
  schemes: ["basic"],
  scopes: ["site_admin"],
  denyMessage: "Must have admin rights to use this endpoint.",
};

/** Organizations appear in `GET /users` (never in the report): readers must skip them. */
const ORGANIZATIONS = [
  { id: 20, login: "engineering" },
  { id: 21, login: "platform" },
];

function host(req: SimRequest): string {
  return req.target.kind === "ghes" ? req.target.host : "";
}

/** Accounts and organizations in id order from `since` on, jumping straight to the right person. */
function* usersSince(
  ds: Dataset,
  hostname: string,
  since: number,
): Generator<{ id: number; login: string; type: "User" | "Organization"; account?: ServerAccount }> {
  const fromPerson = since < ACCOUNT_ID_BASE ? 0 : Math.floor((since - ACCOUNT_ID_BASE) / 4);
  const accounts = ds.serverAccounts(hostname, fromPerson);
  if (fromPerson === 0) {
    // Built-in accounts (ids 10, 11) come first, then the organizations (20, 21).
    const builtIn = [accounts.next().value, accounts.next().value].filter((a): a is ServerAccount => !!a);
    for (const account of builtIn) yield { id: account.id, login: account.login, type: "User", account };
    for (const org of ORGANIZATIONS) yield { ...org, type: "Organization" };
  }
  for (const account of accounts) yield { id: account.id, login: account.login, type: "User", account };
}

/** The GHES endpoints, under `/ghes/{hostname}`. */
export function ghesRoutes(): Route[] {
  return [
    {
      name: "GET /api/v3/meta",
      target: "ghes",
      method: "GET",
      pattern: "/api/v3/meta",
      auth: null,
      handler: () => ({ status: 200, body: { verifiable_password_authentication: true, installed_version: "3.19.0" } }),
    },
    {
      // The token's owner: the GHES collector finds the login for the report's basic auth here.
      name: "GET /api/v3/user",
      target: "ghes",
      method: "GET",
      pattern: "/api/v3/user",
      auth: { schemes: ["token"], scopes: [], denyMessage: "Requires authentication" },
      handler(req) {
        const principal = req.caller;
        if (principal?.kind !== "pat") return notFound();
        const login = principal.spec.login ?? "token-owner";
        return {
          status: 200,
          body: simpleUser(
            `${req.baseUrl}/api/v3`,
            req.baseUrl,
            login,
            1,
            "User",
            principal.spec.scopes.includes("site_admin"),
          ),
        };
      },
    },
    {
      name: "GET /api/v3/enterprise/settings/license",
      target: "ghes",
      method: "GET",
      pattern: "/api/v3/enterprise/settings/license",
      auth: SITE_ADMIN,
      handler: (req, sim) => ({ status: 200, body: sim.dataset.license(host(req)) }),
    },
    {
      name: "GET /api/v3/enterprise/stats/users",
      target: "ghes",
      method: "GET",
      pattern: "/api/v3/enterprise/stats/users",
      auth: SITE_ADMIN,
      handler: (req, sim) => ({ status: 200, body: sim.dataset.statsUsers(host(req)) }),
    },
    {
      name: "GET /api/v3/users",
      target: "ghes",
      method: "GET",
      pattern: "/api/v3/users",
      auth: SITE_ADMIN,
      handler(req, sim) {
        const since = Math.max(0, Number.parseInt(req.query.get("since") ?? "0", 10) || 0);
        const perPage = Math.min(100, Math.max(1, Number.parseInt(req.query.get("per_page") ?? "30", 10) || 30));
        const page: Array<Record<string, unknown>> = [];
        let more = false;
        for (const user of usersSince(sim.dataset, host(req), since)) {
          if (user.id <= since) continue;
          if (page.length === perPage) {
            more = true;
            break;
          }
          page.push(
            simpleUser(
              `${req.baseUrl}/api/v3`,
              req.baseUrl,
              user.login,
              user.id,
              user.type,
              user.account?.role === "admin",
            ),
          );
        }
        const last = page.at(-1);
        const next = new URL(req.url);
        next.searchParams.set("since", String(last?.id ?? since));
        // GHES pages /users by `since` only: a next link, never a last one.
        const headers: Record<string, string> = more ? { link: `<${next.toString()}>; rel="next"` } : {};
        return { status: 200, headers, body: page };
      },
    },
    {
      name: "GET /stafftools/reports/all_users.csv",
      target: "ghes",
      method: "GET",
      pattern: "/stafftools/reports/all_users.csv",
      auth: REPORT_AUTH,
      handler(req, sim) {
        const hostname = host(req);
        if (!sim.dataset.options.hosts.includes(hostname)) return notFound();
        const calls = (sim.reportCalls.get(hostname) ?? 0) + 1;
        sim.reportCalls.set(hostname, calls);
        // GHES builds the report in the background and answers 202 until it is ready.
        if (calls <= sim.reportPendingCalls)
          return { status: 202, text: "Report is being generated. Try again in a few seconds.\n" };
        return {
          status: 200,
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": 'attachment; filename="all_users.csv"',
          },
          stream: sim.preparedReports.get(hostname) ?? csvChunks(sim.dataset, hostname),
        };
      },
    },
  ];
}
