import { paginateGraphQL } from "@octokit/plugin-paginate-graphql";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { concurrencyPlugin } from "./concurrency.js";
import { DEFAULT_DEADLINES, deadlineFetch, TIMEOUT_KEYS, type RequestDeadlines } from "./deadlines.js";
import { emailGuardPlugin } from "./email-guard-plugin.js";
import { graphqlPlainJson } from "./graphql-json.js";
import { octokitLog } from "./logger.js";
import type { Log } from "../shared/index.js";
import {
  DEFAULT_RATE_LIMIT_POLICY,
  rateLimitHandlers,
  rateLimitSignalsPlugin,
  type RateLimitPolicy,
} from "./rate-limits.js";
import { requestLogPlugin } from "./request-log.js";
import { serverErrorRetries, type ServerErrorRetryPolicy } from "./server-error-retries.js";
import { throttleQueues } from "./throttle-queues.js";

/**
 * The client class. Plugin order matters: Octokit runs the hooks of later plugins outside earlier
 * ones, so retry and throttling wrap the concurrency bound, which wraps the request log; the log
 * thus sees (and counts) each attempt, and waiting out a limit holds no concurrency slot. The
 * auth hook, registered before any plugin, is innermost: no plugin ever sees the token. The
 * rate-limit signals sit inside throttling, so it sees every rate limit in a form it knows. The
 * email guard masks the text of every write before any of them; GraphQL bodies are serialized
 * (and answers parsed) in plain JSON inside it, once it has.
 */
function composeOctokit(logger: Log, concurrency: number, retries: ServerErrorRetryPolicy) {
  return Octokit.plugin(
    graphqlPlainJson,
    emailGuardPlugin,
    requestLogPlugin(logger),
    concurrencyPlugin(concurrency),
    rateLimitSignalsPlugin,
    throttling,
    serverErrorRetries(retries),
    paginateGraphQL,
  );
}

/** A REST + GraphQL client with throttling, retries, GraphQL pagination and request logging. */
export type GitHubClient = InstanceType<ReturnType<typeof composeOctokit>>;

/** Knobs shared by the GHEC and GHES clients; every one has a default fit for production. */
export interface ClientTuning {
  /** Prepended to Octokit's user agent (default `license-sync`). */
  userAgent?: string;
  /** HTTP attempts in flight at once on this client (default 8). */
  concurrency?: number;
  /** Retries of 5xx answers and network failures (default 3). */
  serverErrorRetries?: number;
  /** Base of the (n+1)² back-off between those retries, in ms (default 1000: 1 s, 4 s, 9 s). */
  retryDelayMs?: number;
  /** Retries after rate limits and the longest wait accepted. */
  rateLimit?: Partial<RateLimitPolicy>;
  /**
   * The client only reads (collectors). The throttling plugin spaces every GraphQL call a second
   * apart as if it were a write, which makes 50,000 identities take minutes; read-only clients
   * skip its queues (`throttleQueues`): their own concurrency bound is the one that holds.
   * Clients that write issues keep the default.
   */
  readOnly?: boolean;
  /** Deadlines of every request (default: the deployment config's defaults). */
  deadlines?: RequestDeadlines;
}

/** Credentials: a token, or an Octokit auth strategy (e.g. `createAppAuth` for an installation). */
export type ClientAuth =
  | { token: string }
  | { authStrategy: NonNullable<ConstructorParameters<typeof Octokit>[0]>["authStrategy"]; auth: unknown };

export interface ClientBaseOptions extends ClientTuning {
  /** REST base URL without a trailing slash (`https://api.github.com`, `https://ghes.example/api/v3`). */
  baseUrl: string;
  credentials: ClientAuth;
  logger: Log;
  /** What the client calls, as operators name it (`GHES ghes-a.corp.example`); default `GitHub <host>`. */
  service?: string;
  /** The key that sets the total deadline (default `timeouts.requestSeconds`). */
  totalSetting?: string;
}

/**
 * Rate limits are the throttling plugin's job (it honours `retry-after`), so the retry plugin
 * leaves 403 and 429 alone; other 4xx answers will not change on a retry.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/**
 * Builds a client (use `createGhecClient` / `createGhesClient`, which check the configuration).
 *
 * @example const client = buildClient({ baseUrl: "https://api.github.com", credentials: { token }, logger });
 */
export function buildClient(options: ClientBaseOptions): GitHubClient {
  const { baseUrl, credentials, logger } = options;
  const Client = composeOctokit(logger, options.concurrency ?? 8, {
    doNotRetry: DO_NOT_RETRY,
    retries: options.serverErrorRetries ?? 3,
    baseDelayMs: options.retryDelayMs ?? 1000,
  });
  const policy: RateLimitPolicy = { ...DEFAULT_RATE_LIMIT_POLICY, ...options.rateLimit };
  return new Client({
    baseUrl,
    userAgent: options.userAgent ?? "license-sync",
    log: octokitLog(logger),
    request: {
      fetch: deadlineFetch({
        deadlines: options.deadlines ?? DEFAULT_DEADLINES,
        service: options.service ?? `GitHub ${new URL(baseUrl).host}`,
        totalSetting: options.totalSetting ?? TIMEOUT_KEYS.request,
        readWhole: true,
      }),
    },
    ...("token" in credentials
      ? { auth: credentials.token }
      : { authStrategy: credentials.authStrategy, auth: credentials.auth }),
    // One throttling queue per host: a slow GHES must not hold up the cloud's requests. The
    // plugin's own limiters cost each request timers (throttle-queues.ts); these stand in for them.
    throttle: {
      id: new URL(baseUrl).host,
      ...rateLimitHandlers(logger, policy),
      ...throttleQueues(options.readOnly === true),
    },
  });
}
