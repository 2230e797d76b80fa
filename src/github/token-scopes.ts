import { InputError, type Log } from "../shared/index.js";
import type { GitHubClient } from "./client.js";
import { httpStatusOf } from "./http-errors.js";
import { isUnreachable, unreachableError } from "./unreachable.js";

/** A scope some feature needs, and what the run loses without it. */
export interface ScopeNeed {
  /** The classic scope as `x-oauth-scopes` lists it, e.g. `read:enterprise`. */
  scope: string;
  /** The feature it enables, in the admin's words. */
  feature: string;
  /** Missing: the run cannot be right (configuration error); else the feature degrades (a warning). */
  required: boolean;
}

/** One configured token and what the configuration asks of it. */
export interface TokenToCheck {
  /** Config key that holds the token: `cloud.token`, `servers[0].token`. */
  key: string;
  /** Config key that holds the URL it is used against: `cloud.apiUrl`, `servers[0].url`. */
  urlKey: string;
  /** A client with that token; `GET /user` is asked for its scopes. */
  client: Pick<GitHubClient, "request">;
  needs: ScopeNeed[];
}

/** What the check found that does not stop the run. */
export interface ScopeCheck {
  /** Degraded features and skipped checks, one human line each, for the log and the summary. */
  warnings: string[];
}

/** Classic scopes that include others (GitHub's scope hierarchy). */
const IMPLIED: Record<string, string[]> = {
  "admin:enterprise": ["read:enterprise", "manage_billing:enterprise", "manage_runners:enterprise"],
  "admin:org": ["write:org", "read:org"],
  "write:org": ["read:org"],
  repo: ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
};

/**
 * The scopes a token holds, with the ones they imply; null when GitHub sent no `x-oauth-scopes`
 * (fine-grained PATs and App tokens have none).
 *
 * @example grantedScopes("admin:enterprise, repo")?.has("read:enterprise") // true
 */
export function grantedScopes(header: string | undefined): Set<string> | null {
  if (header === undefined) return null;
  const scopes = new Set(
    header
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const scope of [...scopes]) for (const implied of IMPLIED[scope] ?? []) scopes.add(implied);
  return scopes;
}

async function scopesOf(token: TokenToCheck): Promise<Set<string> | null> {
  try {
    const response = await token.client.request("GET /user");
    const header = response.headers["x-oauth-scopes"];
    return grantedScopes(typeof header === "string" ? header : undefined);
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === 401)
      throw new InputError(
        "deployment config",
        token.key,
        "GitHub answered 401 (bad credentials): the token is wrong, expired or revoked",
        "Create a new classic personal access token and put it where this key points.",
      );
    // Every REST root answers GET /user for a token: a 404 means the URL is not one (a path too
    // many, such as /api/v3 after api.github.com), not that the user is missing.
    if (status === 404)
      throw new InputError(
        "deployment config",
        token.urlKey,
        "GitHub answered 404 for GET /user: the URL is not a REST API root",
        token.urlKey === "cloud.apiUrl"
          ? "Use https://api.github.com (or https://api.SUBDOMAIN.ghe.com for GHE.com), without a path."
          : "Use the instance's base URL, e.g. https://ghes.corp.example (the app appends /api/v3).",
      );
    if (isUnreachable(error)) throw unreachableError(error, token.urlKey);
    throw error;
  }
}

/**
 * Checks every token's classic scopes (`x-oauth-scopes` of `GET /user`) against what the
 * configured features need, before anything is collected. Missing required scopes, across all
 * tokens, are one InputError naming each key, scope and feature; missing optional ones and
 * tokens without the header (checks skipped) come back as warnings.
 *
 * @example
 *   const { warnings } = await checkTokenScopes([{ key: "cloud.token", urlKey: "cloud.apiUrl", client, needs }], logger);
 */
export async function checkTokenScopes(tokens: TokenToCheck[], logger: Log): Promise<ScopeCheck> {
  const granted = await Promise.all(tokens.map(scopesOf));
  const missing: string[] = [];
  const missingKeys = new Set<string>();
  const warnings: string[] = [];
  tokens.forEach((token, index) => {
    const scopes = granted[index];
    if (!scopes) {
      warnings.push(
        `${token.key}: GitHub sent no x-oauth-scopes (a fine-grained or App token?), so its scopes were not checked; ${token.needs.map((n) => `${n.feature} needs ${n.scope}`).join("; ")}.`,
      );
      return;
    }
    for (const need of token.needs) {
      if (scopes.has(need.scope)) continue;
      if (need.required) {
        missing.push(`${token.key} lacks ${need.scope} (${need.feature})`);
        missingKeys.add(token.key);
      } else warnings.push(`${token.key} lacks ${need.scope}: ${need.feature} is degraded.`);
    }
  });
  for (const warning of warnings) logger.warn({ check: "token-scopes" }, warning);
  if (missing.length > 0) {
    throw new InputError(
      "deployment config",
      [...missingKeys].join(", "),
      missing.join("; "),
      "Add the scopes to the classic personal access tokens (GitHub: Settings, Developer settings, Personal access tokens (classic)), or create new ones; docs/install.md lists what each feature needs.",
    );
  }
  return { warnings };
}
