import type { IncomingHttpHeaders } from "node:http";
import type { Clock } from "../../../src/shared/clock.js";
import type { Dataset } from "../dataset.js";
import type { GitHubState } from "../repos/store.js";
import type { TokenRegistry } from "./auth.js";

/** A classic personal access token the simulator accepts. */
export interface TokenSpec {
  /** OAuth scopes, e.g. ["read:enterprise"] or ["site_admin"]. */
  scopes: string[];
  /** Owner's login; HTTP basic auth must use it when set. */
  login?: string;
  /** Where the token exists: "cloud" and/or GHES hostnames. Default: everywhere. */
  targets?: string[];
  /** Primary rate limit per window for this token; default the simulator's `rateLimit`. */
  rateLimit?: number;
}

/** Deterministic fault injection; every decision is seeded by (seed, request key, nth attempt). */
export interface Faults {
  seed?: number;
  /** Added to every request before it is answered. */
  latencyMs?: number;
  /** Share of requests answered 502/503. */
  errorRate?: number;
  /** Share of requests never answered (the socket stays open until the client gives up). */
  timeoutRate?: number;
  /** Share of requests answered with a secondary rate limit. */
  secondaryRateLimitRate?: number;
  secondaryRateLimitStatus?: 403 | 429;
  /**
   * Share of requests answered 403 with `x-ratelimit-remaining: 0` and `retry-after`, without
   * GitHub's wording: a rate limit as a GHES behind a proxy sends it, easy to mistake for a refusal.
   */
  rateLimit403Rate?: number;
  /** `retry-after` of those answers, in seconds (default 1). */
  rateLimit403RetryAfter?: number;
  /** Slow body: successful answers send their status and headers at once, then one byte every this many ms. */
  slowBodyByteMs?: number;
  /** After this page of consumed-licenses is served, one row is inserted at the front. */
  shiftRowsAfterPage?: number;
  /** Serve consumed-licenses rows with GHE.com's (data residency) `github_*` keys instead of `github_com_*`. */
  dataResidencyKeys?: boolean;
  /** Leave this many rows out of the end of consumed-licenses while `total_seats_consumed` still counts them. */
  missingConsumedLicenseRows?: number;
  /** Route names faults apply to (see `RequestLogEntry.route`); default every route. */
  routes?: string[];
}

/** Where a request goes: the GHEC API (root URL) or one GHES instance (`/ghes/{host}`). */
export type Target = { kind: "cloud" } | { kind: "ghes"; host: string };

/** A parsed request as route handlers see it. */
export interface SimRequest {
  method: string;
  url: URL;
  /** Path inside the target (for GHES without the `/ghes/{host}` prefix). */
  path: string;
  target: Target;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, undefined when there is none. */
  body: unknown;
  /** Absolute URL of the target's root (for Link headers and `url` fields). */
  baseUrl: string;
  /** Who is calling (set after authentication). */
  caller: Caller;
}

/** The authenticated principal of a request. */
export type Caller =
  | { kind: "anonymous" }
  | { kind: "pat"; token: string; spec: TokenSpec }
  | { kind: "installation"; token: string; installationId: number }
  | { kind: "app"; appId: number };

/** What a handler answers; `body` is JSON-encoded, `text` and `stream` are sent as they are. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  text?: string;
  stream?: Iterable<string>;
  /** Write the body one byte every this many ms (the slow-body fault). */
  trickleMs?: number;
  /** Runs after the response is fully written (e.g. the row shift after page k). */
  after?: () => void;
}

/** Who may call a route. */
export interface AuthPolicy {
  /** Accepted Authorization schemes. */
  schemes: Array<"token" | "basic" | "jwt">;
  /** Classic PAT scopes, any one of which suffices; empty = any token. */
  scopes?: string[];
  /** Whether installation tokens are accepted. */
  installations?: boolean;
  /** The 403 message GitHub gives a token without the scope. */
  denyMessage?: string;
}

/** One route; `name` is what the request log and `counts()` group by. */
export interface Route {
  name: string;
  target: Target["kind"];
  method: string;
  pattern: string;
  auth: AuthPolicy | null;
  /** Rate limit resource the route charges. */
  resource?: "core" | "graphql" | "search";
  handler: (req: SimRequest, sim: SimContext) => Reply | Promise<Reply>;
}

/** State shared by routes, reset by `sim.reset()`. */
export interface SimContext {
  dataset: Dataset;
  faults: Faults;
  reportPendingCalls: number;
  /** Report calls per host so far. */
  reportCalls: Map<string, number>;
  /** Reports rendered at start (`prerenderReports`), by host: the same text as `csvChunks`, in its chunks. */
  preparedReports: Map<string, readonly string[]>;
  /** Rows inserted at the front of consumed-licenses by the shift fault. */
  insertedRows: number;
  /** Repositories, installations and teams of the simulated api.github.com. */
  github: GitHubState;
  /** The GitHub App the simulator plays the server side of. */
  app: { id: number; slug: string };
  /** How long a new or edited issue stays invisible to search (GitHub indexes asynchronously). */
  searchIndexDelayMs: number;
  /** Registry of accepted tokens; App routes add installation tokens to it. */
  tokens: TokenRegistry;
  /** What the latency and slow-body faults wait on, and request durations are measured by. */
  clock: Clock;
}

/** One answered (or abandoned) request. */
export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Full path with query, as received. */
  path: string;
  /** Route name, "unmatched" when no route matched. */
  route: string;
  /** "cloud" or the GHES hostname. */
  target: string;
  /** HTTP status; 0 when the client gave up before an answer. */
  status: number;
  durationMs: number;
  fault?: "error" | "timeout" | "secondary" | "rateLimit" | "rateLimit403" | "slowBody";
}
