import { Readable } from "node:stream";
import {
  assertUsageFileSize,
  readUsageFile,
  unpackUsageFile,
  usageFileLimits,
  type UsageFileLimits,
} from "../collect/index.js";
import type { WebDeploymentConfig } from "../config/index.js";
import { repositoryEntry } from "../github/index.js";
import { isInputError } from "../shared/index.js";
import type { GitHub } from "./services.js";

/** Where air-gapped instances' usage files are pushed in the admin repository. */
export const UPLOADS_PREFIX = "license-usage/uploads/";

/** A pushed usage file that validates, and the instance it is for. */
export interface AcceptedUpload {
  path: string;
  hostname: string;
}

/** A pushed usage file the app refuses, with what to do about it. */
export interface UploadProblem {
  path: string;
  /** The field (`accounts[3].email.hash`), or empty for the whole file. */
  where: string;
  problem: string;
  fix: string;
}

/** Narrows a check's result. */
export function isUploadProblem(result: AcceptedUpload | UploadProblem): result is UploadProblem {
  return "problem" in result;
}

/** True for a usage file (`.json`, or `.json.gz` as `license-sync export` writes it) under `license-usage/uploads/`; a README there is not ours. */
export function isUsageUpload(path: string): boolean {
  return path.startsWith(UPLOADS_PREFIX) && /\.json(\.gz)?$/i.test(path);
}

/**
 * The file's bytes at `ref`. The contents API inlines files up to 1 MB; larger ones (up to
 * 100 MB) come through the git blob API, as the worker reads them. A file over the stored-size
 * limit is refused by the size GitHub reports, before its bytes are fetched.
 */
async function fetchBytes(
  octokit: GitHub,
  target: { owner: string; repo: string; ref: string; path: string },
  limits: UsageFileLimits,
): Promise<Buffer> {
  const file = await repositoryEntry(octokit, target);
  if (file.type !== "file") return Buffer.alloc(0);
  assertUsageFileSize(target.path, file.size, limits);
  return file.bytes();
}

/**
 * Validates one pushed usage file at the pushed commit: its size before and after gunzip
 * (deployment config `limits`), the usage-file schema (via `readUsageFile`, which streams the
 * accounts and keeps none), the hashing key, and that its
 * hostname is an instance the deployment config reads from usage files. Returns the instance, or
 * the problem.
 *
 * @example
 *   await checkUsageUpload(octokit, { owner: "acme", repo: "license-admin", ref: sha, path: "license-usage/uploads/ghes-b.json" }, deployment, keyId)
 */
export async function checkUsageUpload(
  octokit: GitHub,
  target: { owner: string; repo: string; ref: string; path: string },
  deployment: WebDeploymentConfig,
  keyId: string | undefined,
): Promise<AcceptedUpload | UploadProblem> {
  const { path } = target;
  if (!keyId) {
    return {
      path,
      where: "",
      problem: "the app cannot check usage files because LICENSE_SYNC_SECRET is not set in its web process",
      fix: "Ask the operator to set LICENSE_SYNC_SECRET (docs/configuration.md), then push the file again.",
    };
  }
  const fromFiles = deployment.servers.filter((server) => server.usageFile);
  // A file at an instance's configured path must be that instance's; elsewhere any usage-file instance goes.
  const expected = fromFiles.find((server) => server.usageFile === path)?.hostname;
  const limits = usageFileLimits(deployment);
  let hostname: string;
  try {
    const bytes = await fetchBytes(octokit, target, limits);
    const stream = unpackUsageFile(Readable.from([bytes]), path, limits);
    const { header } = await readUsageFile(stream, {
      source: path,
      keyId,
      ...(expected ? { expectedHostname: expected } : {}),
      onAccount: () => undefined,
    });
    hostname = header.server.hostname;
  } catch (error) {
    if (!isInputError(error)) throw error;
    return { path, where: error.where, problem: error.problem, fix: error.fix };
  }
  if (fromFiles.some((server) => server.hostname === hostname)) return { path, hostname };
  const api = deployment.servers.some((server) => server.hostname === hostname);
  const configured = fromFiles.map((server) => `\`${server.hostname}\``).join(", ") || "none";
  return {
    path,
    where: "server.hostname",
    // An API instance's hostname is the deployment's own; an unknown one is the file's text, never repeated.
    problem: api
      ? `${hostname} is collected over the API, not from usage files`
      : `is not an instance of this deployment (usage-file instances: ${configured})`,
    fix: "Only instances configured with `usageFile` in the deployment config take uploads; ask the operator to add it there, or push the file of a configured instance.",
  };
}
