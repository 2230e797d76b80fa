import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dataset } from "./dataset.js";
import type { TokenRegistry } from "./http/auth.js";
import { FaultPlan } from "./http/faults.js";
import { handleRequest, type PipelineDeps } from "./http/pipeline.js";
import { RateLimiter } from "./http/rate-limit.js";
import { Router } from "./http/router.js";
import type { Faults, RequestLogEntry, Route, SimContext, TokenSpec } from "./http/types.js";
import { ghecRoutes } from "./routes/ghec.js";
import { ghesRoutes } from "./routes/ghes.js";
import { graphqlRoutes } from "./routes/graphql.js";

export type { Faults, RequestLogEntry, Route, SimContext, TokenSpec } from "./http/types.js";

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
  /** Primary rate limit per token and window; default 5000. */
  rateLimit?: number;
  /** Rate limit window; default one hour. */
  rateLimitWindowMs?: number;
  /** GitHub App id whose JWTs `/app/*` routes accept. */
  appId?: number;
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
  /** Shared state: the dataset, fault settings, report progress, inserted rows. */
  readonly context: SimContext;
  /** Forgets requests, rate limits, fault draws, report progress and inserted rows. */
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
  router.add(...(options.routes ?? []), ...ghecRoutes(), ...graphqlRoutes(), ...ghesRoutes());
  const registry: TokenRegistry = { pats: new Map(Object.entries(options.tokens)), installations: new Map(), appId: options.appId ?? null };
  const context: SimContext = {
    dataset: options.dataset,
    faults: options.faults ?? {},
    reportPendingCalls: options.reportPendingCalls ?? 1,
    reportCalls: new Map(),
    insertedRows: 0,
    ext: new Map([["registry", registry]]),
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
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serverUrl: (hostname) => `${url}/ghes/${hostname}`,
    requests: deps.requests,
    context,
    counts(filter) {
      const counts: Record<string, number> = {};
      for (const entry of deps.requests) if (!filter || filter(entry)) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
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
