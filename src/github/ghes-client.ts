import { normalizeBaseUrl, requireToken } from "./base-url.js";
import { buildClient, type ClientTuning, type GitHubClient } from "./client.js";
import type { Log } from "../shared/index.js";

export interface GhesClientOptions extends ClientTuning {
  /** The instance's web URL (`https://ghes-a.corp.example`); REST is at `${url}/api/v3`. */
  url: string;
  /** Classic PAT of a site administrator with `site_admin` (GHES refuses App tokens for these endpoints). */
  token: string;
  /** As configured (`servers[].hostname`), for messages; default the URL's host. */
  hostname?: string;
  logger: Log;
}

/**
 * A client for one GHES instance's REST API.
 *
 * @example const ghes = createGhesClient({ url: "https://ghes-a.corp.example", token: process.env.GHES_A_TOKEN!, logger });
 */
export function createGhesClient(options: GhesClientOptions): GitHubClient {
  const { url, token, hostname, logger, ...tuning } = options;
  const baseUrl = `${normalizeBaseUrl(url, "servers[].url")}/api/v3`;
  const credentials = {
    token: requireToken(
      token,
      "servers[].token",
      "Set the server's token to a classic PAT of a site administrator with the site_admin scope.",
    ),
  };
  return buildClient({ ...tuning, baseUrl, credentials, logger, service: `GHES ${hostname ?? new URL(baseUrl).host}` });
}
