import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "../../src/shared/clock.js";
import type { Dataset } from "./dataset.js";
import { csvChunks } from "./csv.js";
import type { TokenRegistry } from "./http/auth.js";
import { FaultPlan } from "./http/faults.js";
import { handleRequest, type PipelineDeps } from "./http/pipeline.js";
import { RateLimiter } from "./http/rate-limit.js";
import { Router } from "./http/router.js";
import type { Faults, RequestLogEntry, Route, SimContext, TokenSpec } from "./http/types.js";
import type { InstallationSeed, RepositorySeed } from "./repos/model.js";
import { GitHubState } from "./repos/store.js";
import { viewOf, type RepoView } from "./repos/view.js";
import { accessRoutes } from "./routes/access.js";
import { appRoutes } from "./routes/app.js";
import { commentRoutes } from "./routes/comments.js";
import { contentRoutes } from "./routes/contents.js";
import { ghecRoutes } from "./routes/ghec.js";
import { ghesRoutes } from "./routes/ghes.js";
import { graphqlRoutes } from "./routes/graphql.js";
import { issueRoutes } from "./routes/issues.js";
import { labelRoutes } from "./routes/labels.js";
import { searchRoutes } from "./routes/search.js";

export type { Faults, RequestLogEntry, Route, SimContext, TokenSpec } from "./http/types.js";
export type { InstallationSeed, Permission, RepositorySeed, TeamMembership } from "./repos/model.js";
export type { CommentView, IssueView, RepoView } from "./repos/view.js";

/** What `startSimulator` takes. */
export interface SimulatorOptions {
  dataset: Dataset;
  /** Classic PATs the simulator accepts, by token value. */
  tokens: Record<string, TokenSpec>;
  faults?: Faults;
  /** Listen port; default an ephemeral one on 127.0.0.1. */
  port?: number;
  /** How many calls of a host's report answer 202 before it is ready; default 1. */
  reportPendingCalls?: number;
  /**
   * Render every host's all_users.csv once, here, and serve it from memory, as GHES serves a
   * report it has prepared. Benchmarks set it: generating a million rows costs this process
   * about 10 s of CPU, which on a 2-core machine would be taken from the product being measured.
   */
  prerenderReports?: boolean;
  /** Primary rate limit per token and window; default 5000. */
  rateLimit?: number;
  /** Rate limit window; default one hour. */
  rateLimitWindowMs?: number;
  /** GitHub App id whose JWTs (`iss`) `/app/*` routes accept; default 1. Signatures are not checked. */
  appId?: number;
  /** The App's slug; its bot is `{slug}[bot]`. Default "license-sync". */
  appSlug?: string;
  /** App installations (organization `acme` with all repositories, for instance). */
  installations?: InstallationSeed[];
  /** Repositories on the api.github.com side, with seeded files, roles and labels. */
  repositories?: RepositorySeed[];
  /** Team memberships: `{ "acme/license-admins": { mona: { role: "member" } } }`. */
  teams?: Record<string, Record<string, { role?: "member" | "maintainer"; state?: "active" | "pending" }>>;
  /** Milliseconds before a new issue is found by search; default 0. */
  searchIndexDelayMs?: number;
  /** Clock of repository timestamps; default Date.now. */
  now?: () => number;
  /**
   * What the latency and slow-body faults wait on and request durations are measured by; default
   * the system's. A test gives a virtual one to assert the waits instead of timing them.
   */
  clock?: Clock;
  /** More routes, tried before the built-in ones. */
  routes?: Route[];
}

/** A running simulator. */
export interface Simulator {
  /** GHEC / api.github.com base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** GHES base URL of a host: REST at `/api/v3`, the report at `/stafftools/reports/all_users.csv`. */
  serverUrl(hostname: string): string;
  /** Every request so far, in arrival order (live array). */
  readonly requests: RequestLogEntry[];
  /** Requests per route name, optionally only those passing `filter`. */
  counts(filter?: (entry: RequestLogEntry) => boolean): Record<string, number>;
  /** Shared state: the dataset, fault settings, report progress, inserted rows, repositories. */
  readonly context: SimContext;
  /** Repositories, installations and teams, to seed more at run time (`putFile`, `setPermission`...). */
  readonly github: GitHubState;
  /** A snapshot of a repository: issues with comments, labels, state, reactions; files; commits. */
  repo(owner: string, name: string): RepoView;
  /** Forgets requests, rate limits, fault draws, report progress and inserted rows (not repositories: see `github.restore()`). */
  reset(): void;
  /** Stops listening and destroys open sockets, held (timed-out) ones included. */
  close(): Promise<void>;
}

/**
 * Starts GHEC (root URL) and every GHES host of the dataset (`/ghes/{host}`) on one loopback port.
 *
 * @example
 *   const sim = await startSimulator({ dataset, tokens: { ghp_ent: { scopes: ["read:enterprise"] } } });
 *   await fetch(`${sim.url}/enterprises/acme/consumed-licenses`, { headers: { authorization: "token ghp_ent" } });
 *   await sim.close();
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const router = new Router();
  router.add(
    ...(options.routes ?? []),
    ...ghecRoutes(),
    ...graphqlRoutes(),
    ...ghesRoutes(),
    ...appRoutes(),
    ...issueRoutes(),
    ...commentRoutes(),
    ...labelRoutes(),
    ...contentRoutes(),
    ...searchRoutes(),
    ...accessRoutes(),
  );
  const registry: TokenRegistry = {
    pats: new Map(Object.entries(options.tokens)),
    installations: new Map(),
    appId: options.appId ?? 1,
  };
  const github = new GitHubState(options.now);
  options.repositories?.forEach((seed) => github.createRepository(seed));
  options.installations?.forEach((seed) => github.addInstallation(seed));
  for (const [team, members] of Object.entries(options.teams ?? {})) {
    const [org = "", slug = ""] = team.split("/");
    for (const [login, membership] of Object.entries(members)) github.setTeamMembership(org, slug, login, membership);
  }
  github.markSeeded({ repos: options.repositories ?? [], installations: options.installations ?? [] });
  const context: SimContext = {
    dataset: options.dataset,
    faults: options.faults ?? {},
    reportPendingCalls: options.reportPendingCalls ?? 1,
    reportCalls: new Map(),
    preparedReports: new Map(
      options.prerenderReports
        ? options.dataset.options.hosts.map((host) => [host, [...csvChunks(options.dataset, host)]])
        : [],
    ),
    insertedRows: 0,
    github,
    app: { id: options.appId ?? 1, slug: options.appSlug ?? "license-sync" },
    searchIndexDelayMs: options.searchIndexDelayMs ?? 0,
    tokens: registry,
    clock: options.clock ?? systemClock,
  };
  const deps: PipelineDeps = {
    router,
    registry,
    limiter: new RateLimiter(options.rateLimitWindowMs ?? 3_600_000),
    plan: new FaultPlan(context.faults),
    context,
    requests: [],
    counter: { seq: 0 },
    defaultRateLimit: options.rateLimit ?? 5000,
  };
  const server = createServer((req, res) => {
    handleRequest(deps, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  // Node closes an idle keep-alive socket after 5 s; a client that picks that socket for its next
  // request at the same moment gets ECONNRESET ("fetch failed"), and on a loaded machine the
  // window is wide. Keep idle sockets longer than any client keeps them (undici: 4 s).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serverUrl: (hostname) => `${url}/ghes/${hostname}`,
    requests: deps.requests,
    context,
    github,
    repo: (owner, name) => viewOf(github.mustRepo(owner, name)),
    counts(filter) {
      const counts: Record<string, number> = {};
      for (const entry of deps.requests)
        if (!filter || filter(entry)) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
      return counts;
    },
    reset() {
      deps.requests.length = 0;
      deps.limiter.clear();
      deps.plan.clear();
      context.reportCalls.clear();
      context.insertedRows = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
