import type { IncomingHttpHeaders } from "node:http";
import type { AuthPolicy, Caller, Reply, Target, TokenSpec } from "./types.js";

const DOCS = "https://docs.github.com/rest";

/** Tokens the simulator knows: configured PATs and installation tokens it issued itself. */
export interface TokenRegistry {
  pats: Map<string, TokenSpec>;
  installations: Map<string, { installationId: number; expiresAt: number }>;
  /** App id whose JWTs are accepted (signature is not checked: tests do not hold real keys). */
  appId: number | null;
}

function unauthorized(message: string, basic: boolean): Reply {
  return {
    status: 401,
    headers: basic ? { "www-authenticate": 'Basic realm="GitHub"' } : {},
    body: { message, documentation_url: DOCS, status: "401" },
  };
}

function decodeJwtIssuer(token: string): number | null {
  const [, payload] = token.split(".");
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown; exp?: unknown };
    if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) return null;
    return Number(claims.iss);
  } catch {
    return null;
  }
}

function existsOn(spec: TokenSpec, target: Target): boolean {
  return !spec.targets || spec.targets.includes(target.kind === "cloud" ? "cloud" : target.host);
}

/** Resolves the Authorization header to a caller, as GitHub would (401 for unknown credentials). */
function identify(
  headers: IncomingHttpHeaders,
  target: Target,
  policy: AuthPolicy,
  registry: TokenRegistry,
): Caller | Reply {
  const basicOnly = policy.schemes.length === 1 && policy.schemes[0] === "basic";
  const header = headers.authorization;
  if (!header) return unauthorized("Requires authentication", basicOnly);
  const [scheme = "", credential = ""] = header.trim().split(/\s+/, 2);
  const lower = scheme.toLowerCase();
  if (lower === "basic" && policy.schemes.includes("basic")) {
    const decoded = Buffer.from(credential, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const login = decoded.slice(0, colon);
    const token = decoded.slice(colon + 1);
    const spec = registry.pats.get(token);
    if (colon < 0 || !spec || !existsOn(spec, target) || (spec.login !== undefined && spec.login !== login)) {
      return unauthorized("Bad credentials", basicOnly);
    }
    return { kind: "pat", token, spec };
  }
  if (lower === "token" || lower === "bearer") {
    const looksLikeJwt = credential.split(".").length === 3;
    if (looksLikeJwt || !policy.schemes.includes("token")) {
      // App routes take only the App's JWT; other routes never take one.
      const iss = looksLikeJwt && policy.schemes.includes("jwt") ? decodeJwtIssuer(credential) : null;
      if (iss !== null && iss === registry.appId) return { kind: "app", appId: iss };
      return unauthorized("A JSON web token could not be decoded", false);
    }
    const spec = registry.pats.get(credential);
    if (spec && existsOn(spec, target)) return { kind: "pat", token: credential, spec };
    const installation = registry.installations.get(credential);
    if (installation && target.kind === "cloud" && installation.expiresAt > Date.now()) {
      return { kind: "installation", token: credential, installationId: installation.installationId };
    }
  }
  return unauthorized("Bad credentials", basicOnly);
}

/** Authenticates and authorizes one request against a route's policy. */
export function authenticate(
  headers: IncomingHttpHeaders,
  target: Target,
  policy: AuthPolicy,
  registry: TokenRegistry,
): { ok: true; caller: Caller } | { ok: false; reply: Reply } {
  const caller = identify(headers, target, policy, registry);
  if ("status" in caller) return { ok: false, reply: caller };
  const accepted = policy.scopes ?? [];
  const denied = (message: string, granted: string[]): { ok: false; reply: Reply } => ({
    ok: false,
    reply: {
      status: 403,
      headers: { "x-accepted-oauth-scopes": accepted.join(", "), "x-oauth-scopes": granted.join(", ") },
      body: { message, documentation_url: DOCS, status: "403" },
    },
  });
  if (caller.kind === "pat" && accepted.length > 0 && !caller.spec.scopes.some((s) => accepted.includes(s))) {
    return denied(policy.denyMessage ?? "Resource not accessible by personal access token", caller.spec.scopes);
  }
  if (caller.kind === "installation" && !policy.installations)
    return denied("Resource not accessible by integration", []);
  return { ok: true, caller };
}
