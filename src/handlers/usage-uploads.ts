import { parseUsageFile } from "../collect/usage-file.js";
import type { DeploymentConfig } from "../config/deployment.js";
import { isInputError } from "../errors.js";
import type { GitHub } from "./services.js";

/** Where air-gapped instances' usage files are pushed in the admin repository. */
export const UPLOADS_PREFIX = "license-usage/uploads/";

/** A pushed usage file the app refuses, with what to do about it. */
export interface UploadProblem {
  path: string;
  /** The field (`accounts[3].email.hash`), or empty for the whole file. */
  where: string;
  problem: string;
  fix: string;
}

/** True for a usage file under `license-usage/uploads/` (other files there, a README say, are not ours). */
export function isUsageUpload(path: string): boolean {
  return path.startsWith(UPLOADS_PREFIX) && path.toLowerCase().endsWith(".json");
}

async function fetchText(octokit: GitHub, owner: string, repo: string, path: string, ref: string): Promise<string> {
  // Raw media type: the contents API's JSON envelope stops at 1 MB, raw files go to 100 MB.
  const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref, mediaType: { format: "raw" } });
  return typeof response.data === "string" ? response.data : JSON.stringify(response.data);
}

/**
 * Validates one pushed usage file at the pushed commit: the usage-file schema (via
 * `parseUsageFile`, which streams the accounts), the hashing key, and that its hostname is an
 * instance the deployment config reads from usage files. Returns the problem, or null when good.
 *
 * @example
 *   await checkUsageUpload(octokit, { owner: "acme", repo: "license-admin", ref: sha, path: "license-usage/uploads/ghes-b.json" }, deployment, keyId)
 */
export async function checkUsageUpload(
  octokit: GitHub,
  target: { owner: string; repo: string; ref: string; path: string },
  deployment: DeploymentConfig,
  keyId: string | undefined,
): Promise<UploadProblem | null> {
  const { path } = target;
  if (!keyId) {
    return { path, where: "", problem: "the app cannot check usage files because LICENSE_SYNC_SECRET is not set in its web process", fix: "Ask the operator to set LICENSE_SYNC_SECRET (docs/configuration.md), then push the file again." };
  }
  const fromFiles = deployment.servers.filter((server) => server.usageFile);
  // A file at an instance's configured path must be that instance's; elsewhere any usage-file instance goes.
  const expected = fromFiles.find((server) => server.usageFile === path)?.hostname;
  const text = await fetchText(octokit, target.owner, target.repo, path, target.ref);
  let hostname: string;
  try {
    hostname = (await parseUsageFile(text, path, keyId, expected)).server.hostname;
  } catch (error) {
    if (!isInputError(error)) throw error;
    return { path, where: error.where, problem: error.problem, fix: error.fix };
  }
  if (fromFiles.some((server) => server.hostname === hostname)) return null;
  const api = deployment.servers.some((server) => server.hostname === hostname);
  const configured = fromFiles.map((server) => `\`${server.hostname}\``).join(", ") || "none";
  return {
    path,
    where: "server.hostname",
    problem: api ? `${hostname} is collected over the API, not from usage files` : `${hostname} is not an instance of this deployment (usage-file instances: ${configured})`,
    fix: "Only instances configured with `usageFile` in the deployment config take uploads; ask the operator to add it there, or push the file of a configured instance.",
  };
}
