import { InputError, type Log } from "../shared/index.js";
import { normalizeBaseUrl, requireToken } from "./base-url.js";
import { buildClient, type ClientAuth, type ClientTuning, type GitHubClient } from "./client.js";

/** GitHub.com's API; data residency enterprises use `https://api.SUBDOMAIN.ghe.com`. */
export const GITHUB_COM_API = "https://api.github.com";

const TOKEN_FIX =
  "Set cloud.token to a classic PAT of an enterprise owner with read:enterprise (GitHub does not enable enterprise licensing for GitHub Apps).";

export interface GhecClientOptions extends ClientTuning {
  /** REST base URL (default `https://api.github.com`); GraphQL is `${apiUrl}/graphql`. */
  apiUrl?: string;
  /** Classic PAT with `read:enterprise`. Give either this or `authStrategy` + `auth`. */
  token?: string;
  /** E.g. `createAppAuth` from @octokit/auth-app, for the App's enterprise installation. */
  authStrategy?: Extract<ClientAuth, { authStrategy: unknown }>["authStrategy"];
  /** Options for `authStrategy` (`{ appId, privateKey, installationId }`). */
  auth?: unknown;
  logger: Log;
}

/**
 * A client for the GHEC enterprise: consumed licenses, sync status, SAML/SCIM identities.
 *
 * @example
 *   const cloud = createGhecClient({ token: process.env.GHEC_TOKEN, logger });
 *   const residency = createGhecClient({ apiUrl: "https://api.acme.ghe.com", authStrategy: createAppAuth, auth: { appId, privateKey, installationId }, logger });
 */
export function createGhecClient(options: GhecClientOptions): GitHubClient {
  const { apiUrl = GITHUB_COM_API, token, authStrategy, auth, logger, ...tuning } = options;
  const baseUrl = normalizeBaseUrl(apiUrl, "cloud.apiUrl");
  if (token !== undefined && authStrategy !== undefined) {
    throw new InputError(
      "deployment config",
      "cloud.token",
      "both a token and an App installation were given",
      "Keep one: cloud.token or the App's enterprise installation.",
    );
  }
  let credentials: ClientAuth;
  if (authStrategy !== undefined) credentials = { authStrategy, auth };
  else credentials = { token: requireToken(token, "cloud.token", TOKEN_FIX) };
  return buildClient({ ...tuning, baseUrl, credentials, logger });
}
