import type { IncomingMessage, ServerResponse } from "node:http";
import { notFound } from "../routes/common.js";
import { authenticate, type TokenRegistry } from "./auth.js";
import { bareRateLimitReply, primaryLimitReply, secondaryLimitReply, serverErrorReply } from "./fault-replies.js";
import type { FaultPlan } from "./faults.js";
import { rateHeaders, type RateLimiter } from "./rate-limit.js";
import { requestId, sendReply } from "./respond.js";
import type { Router } from "./router.js";
import type { Caller, Reply, RequestLogEntry, SimContext, Target } from "./types.js";

/** Everything one request passes through, owned by the simulator. */
export interface PipelineDeps {
  router: Router;
  registry: TokenRegistry;
  limiter: RateLimiter;
  plan: FaultPlan;
  context: SimContext;
  requests: RequestLogEntry[];
  /** Monotonic request counter; survives `reset()` so request ids stay unique. */
  counter: { seq: number };
  defaultRateLimit: number;
}

function splitTarget(pathname: string, hosts: readonly string[]): { target: Target; path: string } | null {
  const ghes = /^\/ghes\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!ghes) return { target: { kind: "cloud" }, path: pathname };
  const host = decodeURIComponent(ghes[1] ?? "");
  return hosts.includes(host) ? { target: { kind: "ghes", host }, path: ghes[2] ?? "/" } : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * One request, in GitHub's order of concerns: route, latency, injected fault, authentication,
 * primary rate limit, handler. Faults come before authentication because GitHub's edge fails
 * requests whatever their credentials.
 */
export async function handleRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { context, requests } = deps;
  const started = context.clock.now();
  const entry: RequestLogEntry = {
    seq: ++deps.counter.seq,
    method: req.method ?? "GET",
    path: req.url ?? "/",
    route: "unmatched",
    target: "cloud",
    status: 0,
    durationMs: 0,
  };
  requests.push(entry);
  res.on("close", () => (entry.durationMs = Math.round(context.clock.now() - started)));
  const base: Record<string, string> = {
    "x-github-request-id": requestId(entry.seq),
    "x-github-media-type": "github.v3; format=json",
    server: "GitHub.com",
  };
  const finish = async (reply: Reply, headers: Record<string, string>): Promise<void> => {
    entry.status = reply.status;
    await sendReply(res, reply, { ...base, ...headers }, context.clock.sleep);
    reply.after?.();
  };
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const split = splitTarget(url.pathname, context.dataset.options.hosts);
  const rawBody = await readBody(req);
  const match = split && deps.router.match(split.target.kind, entry.method, split.path);
  if (!split || !match) return finish(notFound(), {});
  const { target, path } = split;
  entry.route = match.route.name;
  entry.target = target.kind === "cloud" ? "cloud" : target.host;
  if (target.kind === "ghes") base["x-github-enterprise-version"] = "3.19.0";
  if (context.faults.latencyMs) await context.clock.sleep(context.faults.latencyMs);

  const fault = deps.plan.decide(match.route.name, `${entry.method} ${req.url ?? ""} ${rawBody}`);
  if (fault?.kind === "timeout") {
    // Never answer: the client's own timeout must fire. close() destroys the socket.
    entry.fault = "timeout";
    return;
  }
  if (fault) {
    entry.fault = fault.kind;
    if (fault.kind === "rateLimit403") return finish(bareRateLimitReply(fault.retryAfter), {});
    return finish(
      fault.kind === "error" ? serverErrorReply(fault.status) : secondaryLimitReply(fault.status, entry.seq),
      {},
    );
  }
  let caller: Caller = { kind: "anonymous" };
  const scopeHeaders: Record<string, string> = {};
  if (match.route.auth) {
    const auth = authenticate(req.headers, target, match.route.auth, deps.registry);
    if (!auth.ok)
      return finish(
        auth.reply,
        rateHeaders(deps.limiter.take(`${entry.target}|anonymous`, "core", 60, context.clock.now())),
      );
    caller = auth.caller;
    if (caller.kind === "pat") {
      scopeHeaders["x-oauth-scopes"] = caller.spec.scopes.join(", ");
      scopeHeaders["x-accepted-oauth-scopes"] = (match.route.auth.scopes ?? []).join(", ");
    }
  }
  // Each GHES instance and GitHub.com keep their own budgets, per token.
  const who =
    caller.kind === "pat" || caller.kind === "installation"
      ? caller.token
      : caller.kind === "app"
        ? `app${caller.appId}`
        : "anonymous";
  const limit =
    caller.kind === "pat"
      ? (caller.spec.rateLimit ?? deps.defaultRateLimit)
      : caller.kind === "anonymous"
        ? 60
        : deps.defaultRateLimit;
  const rate = deps.limiter.take(`${entry.target}|${who}`, match.route.resource ?? "core", limit, context.clock.now());
  const headers = { ...rateHeaders(rate), ...scopeHeaders };
  if (rate.exceeded) {
    entry.fault = "rateLimit";
    return finish(primaryLimitReply(entry.seq), headers);
  }
  let body: unknown;
  try {
    body = rawBody ? (JSON.parse(rawBody) as unknown) : undefined;
  } catch {
    return finish(
      { status: 400, body: { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest" } },
      headers,
    );
  }
  const baseUrl = `${url.origin}${target.kind === "ghes" ? `/ghes/${target.host}` : ""}`;
  let reply: Reply;
  try {
    reply = await match.route.handler(
      {
        method: entry.method,
        url,
        path,
        target,
        params: match.params,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body,
        baseUrl,
        caller,
      },
      context,
    );
  } catch (error) {
    reply = { status: 500, body: { message: `simulator error: ${(error as Error).message}` } };
  }
  if (context.faults.slowBodyByteMs && reply.status < 300 && deps.plan.applies(match.route.name)) {
    entry.fault = "slowBody";
    reply = { ...reply, trickleMs: context.faults.slowBodyByteMs };
  }
  return finish(reply, headers);
}
