import { Redis } from "ioredis";
import { ProbotOctokit, type Logger } from "probot";
import { deploymentConfigSchema, type DeploymentConfig } from "../../src/config/deployment.js";
import { startWebProcess, WEBHOOK_PATH, type WebProcess } from "../../src/runtime/web-process.js";
import { startWorkerProcess, type WorkerProcess, type WorkerTuning } from "../../src/runtime/worker-process.js";
import { APP_ID, startAppSimulator } from "../sim/app-fixture.js";
import { createDataset, type DatasetOptions } from "../sim/dataset.js";
import { call } from "../sim/http-client.js";
import type { Simulator, SimulatorOptions } from "../sim/server.js";
import { throwawayAppIdentity } from "./app-key.js";
import { waitFor } from "./wait.js";
import { commentDelivery, sendWebhook, type Delivery, type DeliveryAnswer } from "./webhooks.js";

/** The App's installation on organization `acme` in the simulator (test/sim/app-fixture.ts). */
export const INSTALLATION_ID = 11;
export const OWNER = "acme";
export const REPO = "license-admin";
/** An admin of acme/license-admin with a PAT, to open issues and write comments as a person would. */
const ADMIN = { login: "mona", token: "ghp-admin" };

export interface EmbeddedOptions {
  redisUrl: string;
  /** BullMQ key prefix; everything under it is deleted on close. */
  prefix: string;
  logger: Logger;
  dataset: Omit<DatasetOptions, "enterprise">;
  /** In-process worker processes to start (default 1). */
  workers?: number;
  tuning?: WorkerTuning;
  workerConcurrency?: number;
  /** How long a closing worker lets active jobs run before handing them back (default 5 s). */
  shutdownGraceMs?: number;
  simulator?: Partial<SimulatorOptions>;
  /** Deadlines of the deployment config (`timeouts`), e.g. short ones for a test of a hung GHES. */
  timeouts?: Partial<DeploymentConfig["timeouts"]>;
  /** Instances configured as air-gapped: read from `license-usage/uploads/{hostname}.json` in the admin repository. */
  usageFileHosts?: string[];
}

export interface Embedded {
  sim: Simulator;
  web: WebProcess;
  workers: WorkerProcess[];
  deployment: DeploymentConfig;
  /** Signs and posts a webhook to the web process. */
  deliver(delivery: Delivery): Promise<DeliveryAnswer>;
  /** Opens an issue (unless given) and comments on it as `login`, then delivers `issue_comment`. */
  comment(
    body: string,
    options?: { login?: string; issueNumber?: number },
  ): Promise<{ issueNumber: number; commentId: number; answer: DeliveryAnswer }>;
  addWorker(name: string): Promise<WorkerProcess>;
  /** Closes workers, web process and simulator, and deletes every Redis key under the prefix. */
  close(): Promise<void>;
}

/** Deletes every key under `prefix:` (the demo's and tests' queues, run data and metrics). */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { connectionName: "license-sync:demo:cleanup", maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * The whole product on one machine: the GitHub simulator (GHEC, GHES instances, the App's side
 * of api.github.com with acme/license-admin), the real web process and real workers on a real
 * Redis, a throwaway App key and webhook secret, and a deployment config pointing at the
 * simulator. The end-to-end tests' harness; `npm run demo` (demo/main.ts) is one more user of it,
 * which is why it lives here and imports nothing from demo/.
 *
 * @example
 *   const env = await startEmbedded({ redisUrl, prefix: "demo-1", logger, dataset: { seed: 7, persons: 3000, hosts: ["ghes-a.corp.example"] } });
 *   await env.comment("/license-sync now");
 *   await env.close();
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  const { privateKey, webhookSecret } = throwawayAppIdentity();
  const dataset = createDataset({ ...options.dataset, enterprise: OWNER });
  const sim = await startAppSimulator({
    dataset,
    tokens: {
      [ADMIN.token]: { scopes: ["repo", "read:org"], login: ADMIN.login },
      "ghp-enterprise": { scopes: ["read:enterprise"], targets: ["cloud"] },
      "ghp-site-admin": { scopes: ["site_admin"], login: "siteadmin", targets: dataset.options.hosts },
    },
    ...options.simulator,
  });
  const deployment = deploymentConfigSchema.parse({
    enterprise: OWNER,
    cloud: { apiUrl: sim.url, token: "ghp-enterprise" },
    adminRepository: `${OWNER}/${REPO}`,
    servers: dataset.options.hosts.map((hostname) =>
      options.usageFileHosts?.includes(hostname)
        ? { hostname, usageFile: `license-usage/uploads/${hostname}.json` }
        : { hostname, url: sim.serverUrl(hostname), token: "ghp-site-admin", login: "siteadmin" },
    ),
    collect: { reportDeadlineSeconds: 60, pollIntervalSeconds: 0.05 },
    timeouts: options.timeouts,
  });
  const settings = {
    appId: APP_ID,
    privateKey,
    webhookSecret,
    redisUrl: options.redisUrl,
    queuePrefix: options.prefix,
    port: 0,
    appApiUrl: sim.url,
    secret: "embedded-license-sync-secret",
    workerConcurrency: options.workerConcurrency ?? 4,
    shutdownGraceMs: options.shutdownGraceMs ?? 5000,
  };
  // The simulator has no secondary rate limits: no need to space Probot's writes a second apart.
  // (Function form: Probot passes its own `throttle` object, which a plain default would lose to.)
  const probotOctokit = ProbotOctokit.defaults((instance: { throttle?: object }) => ({
    ...instance,
    throttle: { ...instance.throttle, enabled: false },
  }));
  const web = await startWebProcess({
    settings,
    deployment,
    logger: options.logger.child({ process: "web" }),
    host: "127.0.0.1",
    retry: { backoffMs: 200 },
    probotOctokit,
  });
  // As a load balancer would: no traffic before /readyz says Redis answers.
  await waitFor("the web process to be ready", async () => ((await web.ready()) ? true : undefined), 10_000, 50);
  const addWorker = (name: string) =>
    startWorkerProcess({
      settings,
      deployment,
      name,
      logger: options.logger.child({ process: "worker", worker: name }),
      tuning: { backoffMs: 200, startPollMs: 250, ...options.tuning },
    });
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < (options.workers ?? 1); i++) workers.push(await addWorker(`worker-${i + 1}`));
  const deliver = (delivery: Delivery) => sendWebhook(`${web.url}${WEBHOOK_PATH}`, webhookSecret, delivery);
  return {
    sim,
    web,
    workers,
    deployment,
    deliver,
    async comment(body, commentOptions = {}) {
      const login = commentOptions.login ?? ADMIN.login;
      const api = `${sim.url}/repos/${OWNER}/${REPO}`;
      let issueNumber = commentOptions.issueNumber;
      const title = "License sync requests";
      if (issueNumber === undefined) {
        const issue = await call(`${api}/issues`, {
          method: "POST",
          token: ADMIN.token,
          body: { title, body: "Where admins ask for runs." },
        });
        issueNumber = (issue.json as { number: number }).number;
      }
      // The comment is written as the admin (PAT), as GitHub would have it before the webhook.
      const comment = await call(`${api}/issues/${issueNumber}/comments`, {
        method: "POST",
        token: ADMIN.token,
        body: { body },
      });
      const commentId = (comment.json as { id: number }).id;
      const answer = await deliver(
        commentDelivery({
          installationId: INSTALLATION_ID,
          owner: OWNER,
          repo: REPO,
          issueNumber,
          issueTitle: title,
          commentId,
          body,
          login,
        }),
      );
      return { issueNumber, commentId, answer };
    },
    async addWorker(name) {
      const worker = await addWorker(name);
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await web.close();
      await sim.close();
      await deletePrefix(options.redisUrl, options.prefix);
    },
  };
}
