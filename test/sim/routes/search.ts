import { issueJson } from "../repos/json.js";
import type { Issue, Repo } from "../repos/model.js";
import { linkHeader } from "../http/respond.js";
import type { Route, SimContext, SimRequest } from "../http/types.js";
import { paging, validationFailed } from "./common.js";
import { REPO_AUTH } from "./issues.js";

/** A parsed `q`: qualifiers GitHub's issue search knows that license-sync uses, plus free terms. */
interface Query {
  repos: string[];
  labels: string[];
  state: "open" | "closed" | null;
  pullRequests: boolean;
  author: string | null;
  fields: Array<"title" | "body" | "comments">;
  terms: string[];
}

/** Splits `q` into `key:value`, `key:"quoted value"`, `"quoted phrase"` and bare words. */
export function parseQuery(q: string): Query {
  const query: Query = { repos: [], labels: [], state: null, pullRequests: false, author: null, fields: [], terms: [] };
  for (const [, key, quotedValue, value, phrase, word] of q.matchAll(/(\w+):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)/g)) {
    const v = (quotedValue ?? value ?? "").toLowerCase();
    if (key === undefined) query.terms.push((phrase ?? word ?? "").toLowerCase());
    else if (key === "repo") query.repos.push(v);
    else if (key === "label") query.labels.push(v);
    else if ((key === "is" || key === "state") && (v === "open" || v === "closed")) query.state = v;
    else if ((key === "is" || key === "type") && (v === "pr" || v === "pull-request")) query.pullRequests = true;
    else if (key === "author") query.author = v;
    else if (key === "in" && (v === "title" || v === "body" || v === "comments")) query.fields.push(v);
  }
  return query;
}

function matches(issue: Issue, query: Query): boolean {
  if (query.pullRequests) return false;
  if (query.state && issue.state !== query.state) return false;
  if (query.author && issue.user.login.toLowerCase() !== query.author) return false;
  if (!query.labels.every((l) => issue.labels.some((name) => name.toLowerCase() === l))) return false;
  const fields = query.fields.length > 0 ? query.fields : ["title", "body"];
  const text = [
    fields.includes("title") ? issue.title : "",
    fields.includes("body") ? (issue.body ?? "") : "",
    fields.includes("comments") ? issue.comments.map((c) => c.body).join("\n") : "",
  ]
    .join("\n")
    .toLowerCase();
  return query.terms.every((term) => text.includes(term));
}

/** Repositories the caller may search. */
function searchable(req: SimRequest, sim: SimContext): Repo[] {
  const all = [...sim.github.repos.values()];
  if (req.caller.kind === "installation") {
    const installation = sim.github.installations.get(req.caller.installationId);
    return installation ? all.filter((r) => sim.github.covers(installation, r.owner, r.name)) : [];
  }
  const scopes = req.caller.kind === "pat" ? req.caller.spec.scopes : [];
  return all.filter((r) => scopes.includes("repo") || (!r.private && scopes.includes("public_repo")));
}

/**
 * `GET /search/issues`. GitHub indexes asynchronously: issues younger than `searchIndexDelayMs`
 * are not found yet, which is how duplicate "find by marker, else create" issues happen.
 */
export function searchRoutes(): Route[] {
  return [
    {
      name: "GET /search/issues",
      target: "cloud",
      method: "GET",
      pattern: "/search/issues",
      auth: REPO_AUTH,
      resource: "search",
      handler(req, sim) {
        const q = req.query.get("q") ?? "";
        if (q.trim() === "") return validationFailed([{ resource: "Search", field: "q", code: "missing" }]);
        const query = parseQuery(q);
        const visible = searchable(req, sim);
        const byName = new Map(visible.map((r) => [`${r.owner}/${r.name}`.toLowerCase(), r]));
        if (query.repos.some((name) => !byName.has(name))) {
          return validationFailed([
            {
              message:
                "The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.",
              resource: "Search",
              field: "q",
              code: "invalid",
            },
          ]);
        }
        const repos =
          query.repos.length > 0 ? query.repos.map((name) => byName.get(name)).filter((r): r is Repo => !!r) : visible;
        const indexedBefore = sim.github.now() - sim.searchIndexDelayMs;
        const order = req.query.get("order") === "asc" ? 1 : -1;
        const key = req.query.get("sort") === "updated" ? "updatedAt" : "createdAt";
        const hits = repos
          .flatMap((repo) =>
            repo.issues
              .filter((i) => i.createdAt <= indexedBefore && matches(i, query))
              .map((issue) => ({ repo, issue })),
          )
          .sort((a, b) => order * (a.issue[key] - b.issue[key] || a.issue.id - b.issue.id));
        const { perPage, page } = paging(req.query);
        const link = linkHeader(req.url, page, Math.max(1, Math.ceil(hits.length / perPage)));
        const items = hits
          .slice((page - 1) * perPage, page * perPage)
          .map(({ repo, issue }) => ({ ...issueJson(req.baseUrl, repo, issue), score: 1 }));
        return {
          status: 200,
          headers: link ? { link } : {},
          body: { total_count: hits.length, incomplete_results: false, items, search_type: "lexical" },
        };
      },
    },
  ];
}
