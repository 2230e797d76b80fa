import type { FlowProducer, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "probot";
import { usageFileLimits } from "../../collect/index.js";
import type { DeploymentConfig } from "../../config/index.js";
import type { GitHubClient } from "../../github/index.js";
import type { RunMetrics } from "../../metrics/index.js";
import {
  adminRepositoryUsageFiles,
  createPipelineDeps,
  type PipelineDeps,
  type Publisher,
} from "../../pipeline/index.js";
import type { PublishResult } from "../../publish/index.js";
import type { RunRecord } from "../../shared/index.js";
import type { AppClients, AppCredentials } from "./app-clients.js";
import type { RetryTuning } from "../queue/job-options.js";
import type { RunStore } from "../store/run-store.js";

/** Everything job processors use, built once per worker process. */
export interface JobServices {
  deployment: DeploymentConfig;
  /** LICENSE_SYNC_SECRET. */
  secret: string;
  app: AppCredentials;
  appClients: AppClients;
  /** Queue `license-sync` and the flow producer, on the worker's producer connection. */
  queue: Queue;
  flow: FlowProducer;
  /** The producer connection: run gate, run index, outcomes. */
  redis: Redis;
  /** BullMQ key prefix. */
  prefix: string;
  store: RunStore;
  logger: Logger;
  metrics: RunMetrics;
  publishRun: Publisher;
  renderCommandReply: (record: RunRecord, result: PublishResult) => string;
  /** For GHES report downloads (tests: default fetch). */
  fetch?: typeof fetch;
  now: () => Date;
  retry?: RetryTuning;
  /** How often a start job waiting for the enterprise's current run checks again (ms). */
  startPollMs: number;
}

/** `owner` and `repo` of the admin repository. */
export function adminRepository(deployment: DeploymentConfig): { owner: string; repo: string } {
  const [owner = "", repo = ""] = deployment.adminRepository.split("/");
  return { owner, repo };
}

/**
 * The App's client on the admin repository. The installation is looked up rather than taken
 * from the request: pushes and schedules may not carry it, and it may have been reinstalled.
 */
export async function adminClient(services: JobServices): Promise<GitHubClient> {
  const { owner, repo } = adminRepository(services.deployment);
  return services.appClients.installation(await services.appClients.installationIdFor(owner, repo));
}

/**
 * Clients, protector and usage-file access for one job, logging through the job's logger. The
 * cloud side uses `cloud.token`; the App's installation serves only the admin repository.
 */
export async function jobPipelineDeps(services: JobServices, logger: Logger): Promise<PipelineDeps> {
  const { deployment } = services;
  const { owner, repo } = adminRepository(deployment);
  const needsAdmin = deployment.servers.some((server) => server.usageFile);
  const openUsageFile = needsAdmin
    ? adminRepositoryUsageFiles(await adminClient(services), owner, repo, usageFileLimits(deployment))
    : undefined;
  return createPipelineDeps({ deployment, logger, secret: services.secret, fetch: services.fetch, openUsageFile });
}
