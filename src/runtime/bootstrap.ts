import { readFile } from "node:fs/promises";
import type { Logger } from "probot";
import {
  type DeploymentConfig,
  isTokenKey,
  loadDeploymentConfig,
  loadWebDeploymentConfig,
  type WebDeploymentConfig,
} from "../config/index.js";
import { maskEmails } from "../privacy/index.js";
import { isInputError } from "../shared/index.js";
import { createRootLogger } from "./logger.js";
import { readRuntimeSettings, type RuntimeSettings } from "./settings.js";
import { SECRET_VARIABLES, configVariables, withSecretFiles } from "./secret-files.js";
import { onShutdownSignal } from "./shutdown.js";

/** What both processes need before they start anything; the web process gets no token. */
export interface Bootstrap<D = DeploymentConfig> {
  settings: RuntimeSettings;
  deployment: D;
  logger: Logger;
}

/** Which deployment config each process reads: the web process never expands a token. */
const DEPLOYMENT_LOADERS = { web: loadWebDeploymentConfig, worker: loadDeploymentConfig };
type DeploymentOf<N extends keyof typeof DEPLOYMENT_LOADERS> = N extends "web" ? WebDeploymentConfig : DeploymentConfig;

/**
 * Starts a process from the environment (`NAME_FILE` variables filled in first): settings, logger, deployment config, then `start`;
 * SIGINT/SIGTERM close what `start` returned and exit 0. Bad configuration exits 2 with a
 * message naming the variable or key and the fix; any other start failure exits 1.
 *
 * @example await runProcess("worker", (boot) => startWorkerProcess(boot));
 */
export async function runProcess<N extends "web" | "worker">(
  name: N,
  start: (boot: Bootstrap<DeploymentOf<N>>) => Promise<{ close(): Promise<void> }>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let logger: Logger | undefined;
  try {
    // Probot reads process.env itself (REDIS_URL, WEBHOOK_SECRET): secrets from files and the
    // Redis password must be in the environment object, not only in our settings.
    Object.assign(env, withSecretFiles(env, SECRET_VARIABLES));
    const settings = readRuntimeSettings(env, { needsWebhookSecret: name === "web" });
    env.REDIS_URL = settings.redisUrl;
    // The tokens the deployment config names (`${GHEC_TOKEN}`) may come from files as well; the
    // web process never reads a token, so it opens no token file.
    const configText = await readFile(settings.configPath, "utf8").catch(() => "");
    Object.assign(env, withSecretFiles(env, configVariables(configText, name === "web" ? isTokenKey : undefined)));
    logger = (await createRootLogger({ level: settings.logLevel, format: settings.logFormat })).child({
      process: name,
    });
    const deployment = (await DEPLOYMENT_LOADERS[name](settings.configPath, env)) as DeploymentOf<N>;
    const running = await start({ settings, deployment, logger });
    onShutdownSignal(() => running.close(), logger, settings.shutdownGraceMs);
  } catch (error) {
    const message = maskEmails(
      isInputError(error)
        ? `license-sync ${name}: ${error.message}`
        : `license-sync ${name} failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (logger) logger.fatal(message);
    console.error(message);
    process.exit(isInputError(error) ? 2 : 1);
  }
}
