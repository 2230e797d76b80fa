import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { assertUsageFileSize, unpackUsageFile, usageFileLimits, type UsageFileLimits } from "../collect/index.js";
import type { DeploymentConfig, ServerConfig } from "../config/index.js";
import { createGhecClient, createGhesClient, deadlinesOf, type GitHubClient } from "../github/index.js";
import { createEmailProtector, type EmailProtector } from "../privacy/index.js";
import { errorCode, InputError, type Log } from "../shared/index.js";

/** Opens a usage file named in the deployment config (a local path, or a file of the admin repository at `ref`). */
export type UsageFileOpener = (path: string, ref?: string) => Promise<Readable>;

/** Everything the pipeline's steps need; built once per run, injected in tests. */
export interface PipelineDeps {
  deployment: DeploymentConfig;
  protector: EmailProtector;
  logger: Log;
  cloudClient: GitHubClient;
  serverClient(server: ServerConfig): GitHubClient;
  openUsageFile: UsageFileOpener;
  /** For GHES report downloads (default: Node's fetch). */
  fetch?: typeof fetch;
  /**
   * LICENSE_SYNC_SECRET, given to the worker threads that parse GHES reports (they key emails as
   * `protector` does); absent: reports are parsed on the calling thread.
   */
  threadSecret?: string;
}

/** Reads usage files from disk, gunzipping `*.gz`, within `limits` (the CLI's opener). */
export function localUsageFiles(limits: UsageFileLimits): UsageFileOpener {
  return async (path) => {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
      throw new InputError(
        path,
        "",
        "usage file not found",
        "Export it with `license-sync export` or fix servers[].usageFile.",
      );
    }
    assertUsageFileSize(path, size, limits);
    return unpackUsageFile(createReadStream(path), path, limits);
  };
}

export interface PipelineDepsOptions {
  deployment: DeploymentConfig;
  logger: Log;
  /** LICENSE_SYNC_SECRET: the HMAC key for emails. */
  secret: string;
  fetch?: typeof fetch;
  openUsageFile?: UsageFileOpener;
}

/**
 * @example
 *   const deps = createPipelineDeps({ deployment, logger, secret: process.env.LICENSE_SYNC_SECRET! });
 */
export function createPipelineDeps(options: PipelineDepsOptions): PipelineDeps {
  const { deployment, logger, secret } = options;
  if (!secret)
    throw new InputError(
      "environment",
      "LICENSE_SYNC_SECRET",
      "is not set",
      "Set LICENSE_SYNC_SECRET to a long random string; keep it stable, it keys every email hash.",
    );
  const deadlines = deadlinesOf(deployment.timeouts);
  // Enterprise licensing takes a classic PAT only (GitHub does not enable it for Apps): cloud.token.
  const cloudClient = createGhecClient({
    apiUrl: deployment.cloud.apiUrl,
    token: deployment.cloud.token,
    logger,
    readOnly: true,
    concurrency: deployment.cloud.concurrency,
    deadlines,
  });
  const serverClients = new Map<string, GitHubClient>();
  return {
    deployment,
    protector: createEmailProtector({ secret }),
    logger,
    cloudClient,
    serverClient(server) {
      let client = serverClients.get(server.hostname);
      if (!client)
        serverClients.set(
          server.hostname,
          (client = createGhesClient({
            url: server.url!,
            token: server.token!,
            hostname: server.hostname,
            logger,
            readOnly: true,
            deadlines,
          })),
        );
      return client;
    },
    openUsageFile: options.openUsageFile ?? localUsageFiles(usageFileLimits(deployment)),
    fetch: options.fetch,
    threadSecret: secret,
  };
}

/** Wraps text or bytes as a stream, for openers that fetch whole files (contents API). */
export function streamOf(content: string | Buffer): Readable {
  return Readable.from([content]);
}
