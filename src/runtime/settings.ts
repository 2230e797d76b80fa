import { readFileSync } from "node:fs";
import { errorCode, InputError } from "../shared/index.js";
import { unreadableFix } from "./secret-files.js";

/** Everything the web and worker processes read from the environment (docs/architecture.md, Runtime environment). */
export interface RuntimeSettings {
  appId: number;
  /** PEM text of the App's private key. */
  privateKey: string;
  webhookSecret: string;
  port: number;
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** `LOG_FORMAT`; unset: pretty on a terminal, JSON otherwise (runtime/logger.ts). */
  logFormat: "json" | "pretty" | undefined;
  redisUrl: string;
  /** Path of the deployment config. */
  configPath: string;
  /** HMAC key for emails. */
  secret: string;
  /** REST root the App talks to; from Probot's GHE_HOST/GHE_PROTOCOL, else the deployment's cloud.apiUrl. */
  appApiUrl: string | undefined;
  /** Key prefix of every queue key in Redis (`LICENSE_SYNC_QUEUE_PREFIX`, default `license-sync`). */
  queuePrefix: string;
  /** Jobs one worker process runs at once (`LICENSE_SYNC_WORKER_CONCURRENCY`, default 4). */
  workerConcurrency: number;
  /** The longest shutdown takes after SIGTERM, whatever Redis does; active jobs are handed back before it ends (`LICENSE_SYNC_SHUTDOWN_GRACE_SECONDS`, default 25). */
  shutdownGraceMs: number;
  /** `METRICS_PORT`: serve `/metrics` on this port only (not on `PORT`); unset: on `PORT`. */
  metricsPort: number | undefined;
  /** `METRICS_TOKEN`: `/metrics` answers only `Authorization: Bearer <token>`; unset: anyone. */
  metricsToken: string | undefined;
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
const missing = (name: string, fix: string) => new InputError("environment", name, "is not set", fix);

function privateKeyFrom(env: NodeJS.ProcessEnv): string {
  let key = env.PRIVATE_KEY;
  if (!key && env.PRIVATE_KEY_PATH) {
    try {
      key = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      throw new InputError(
        env.PRIVATE_KEY_PATH,
        "",
        `cannot read the private key (${errorCode(error)})`,
        unreadableFix(error, "PRIVATE_KEY_PATH"),
      );
    }
  }
  if (!key)
    throw missing("PRIVATE_KEY", "Set PRIVATE_KEY to the App's PEM private key, or PRIVATE_KEY_PATH to its file.");
  // Environments often carry the PEM on one line with literal "\n".
  key = key.includes("\\n") ? key.replace(/\\n/g, "\n") : key;
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
    throw new InputError(
      "environment",
      env.PRIVATE_KEY ? "PRIVATE_KEY" : "PRIVATE_KEY_PATH",
      "is not a PEM private key",
      "Use the .pem file GitHub generated for the App, unchanged.",
    );
  }
  return key;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new InputError(
      "environment",
      name,
      `${JSON.stringify(raw)} is not a positive integer`,
      `Set ${name} to a whole number, or unset it for ${fallback}.`,
    );
  return value;
}

/**
 * `REDIS_URL` (default `redis://127.0.0.1:6379`) with `REDIS_PASSWORD` put in when the URL holds
 * none, so a password can come from a secret file (`REDIS_PASSWORD_FILE`) while the URL stays
 * plain configuration. `rediss://` URLs connect over TLS (ioredis).
 */
function redisUrlFrom(env: NodeJS.ProcessEnv): string {
  const raw = env.REDIS_URL || "redis://127.0.0.1:6379";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(
      "environment",
      "REDIS_URL",
      "is not a URL",
      "Use redis://[:PASSWORD@]HOST:PORT[/DB] or rediss://... for TLS.",
    );
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    throw new InputError(
      "environment",
      "REDIS_URL",
      `has the scheme ${url.protocol.slice(0, 12)}`,
      "Use redis:// or rediss:// (TLS).",
    );
  if (env.REDIS_PASSWORD && !url.password) url.password = encodeURIComponent(env.REDIS_PASSWORD);
  return url.toString();
}

/**
 * Reads and checks the environment once, at start, so a process never runs half-configured:
 * a missing variable is an InputError that names it and says what to set.
 *
 * @example
 *   const settings = readRuntimeSettings(process.env);
 *   settings.redisUrl // "redis://127.0.0.1:6379"
 */
export function readRuntimeSettings(
  env: NodeJS.ProcessEnv,
  options: { needsWebhookSecret?: boolean } = {},
): RuntimeSettings {
  const appId = Number(env.APP_ID);
  if (!env.APP_ID) throw missing("APP_ID", "Set APP_ID to the GitHub App's id (App settings, About).");
  if (!Number.isInteger(appId) || appId <= 0)
    throw new InputError(
      "environment",
      "APP_ID",
      `${JSON.stringify(env.APP_ID)} is not an App id`,
      "Use the numeric App ID from the App's settings page.",
    );
  const privateKey = privateKeyFrom(env);
  const webhookSecret = env.WEBHOOK_SECRET ?? "";
  if (options.needsWebhookSecret && !webhookSecret)
    throw missing("WEBHOOK_SECRET", "Set WEBHOOK_SECRET to the App's webhook secret; unsigned deliveries are refused.");
  const secret = env.LICENSE_SYNC_SECRET ?? "";
  if (!secret)
    throw missing(
      "LICENSE_SYNC_SECRET",
      "Set LICENSE_SYNC_SECRET to a long random string (e.g. `openssl rand -hex 32`); keep it stable, it keys every email hash.",
    );
  const logLevel = (env.LOG_LEVEL ?? "info").toLowerCase();
  if (!(LEVELS as readonly string[]).includes(logLevel))
    throw new InputError(
      "environment",
      "LOG_LEVEL",
      `unknown level ${JSON.stringify(env.LOG_LEVEL)}`,
      `Use one of ${LEVELS.join(", ")}.`,
    );
  const format = env.LOG_FORMAT?.toLowerCase();
  const logFormat = format === "json" || format === "pretty" ? format : undefined;
  if (env.LOG_FORMAT && !logFormat)
    throw new InputError(
      "environment",
      "LOG_FORMAT",
      "is neither json nor pretty",
      "Set LOG_FORMAT=json (log shippers) or pretty (a terminal), or unset it: JSON unless standard output is a terminal.",
    );
  const gheHost = env.GHE_HOST?.trim();
  const port = positiveInt(env, "PORT", 3000);
  const metricsPort = env.METRICS_PORT ? positiveInt(env, "METRICS_PORT", 0) : undefined;
  // Blank is not "no token": a secret that failed to render must not open /metrics to anyone.
  const metricsToken = env.METRICS_TOKEN?.trim();
  if (env.METRICS_TOKEN !== undefined && env.METRICS_TOKEN !== "" && !metricsToken)
    throw new InputError(
      "environment",
      "METRICS_TOKEN",
      "is set but blank",
      "Set METRICS_TOKEN to a long random string (e.g. `openssl rand -hex 32`), or unset it to serve /metrics to anyone who reaches it.",
    );
  if (metricsPort === port)
    throw new InputError(
      "environment",
      "METRICS_PORT",
      "is the same port as PORT",
      `Give /metrics a port of its own (e.g. METRICS_PORT=9100), or unset METRICS_PORT to serve it on PORT (${port}).`,
    );
  return {
    appId,
    privateKey,
    webhookSecret,
    port,
    logLevel: logLevel as RuntimeSettings["logLevel"],
    logFormat,
    redisUrl: redisUrlFrom(env),
    configPath: env.LICENSE_SYNC_CONFIG || "license-sync.config.yml",
    secret,
    appApiUrl: gheHost ? `${env.GHE_PROTOCOL || "https"}://${gheHost}/api/v3` : undefined,
    queuePrefix: env.LICENSE_SYNC_QUEUE_PREFIX || "license-sync",
    workerConcurrency: positiveInt(env, "LICENSE_SYNC_WORKER_CONCURRENCY", 4),
    shutdownGraceMs: positiveInt(env, "LICENSE_SYNC_SHUTDOWN_GRACE_SECONDS", 25) * 1000,
    metricsPort,
    metricsToken: metricsToken || undefined,
  };
}
