import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { errorCode, InputError } from "../shared/index.js";
import {
  deploymentConfigSchema,
  webDeploymentConfigSchema,
  type DeploymentConfig,
  type WebDeploymentConfig,
} from "./deployment.js";
import { configError, keyPath } from "./zod-error.js";

const FIX = "See docs/configuration.md for the deployment config.";

/** `cloud.token`, `servers[0].token`: the keys that hold secrets only workers and the CLI use. */
export function isTokenKey(path: ReadonlyArray<PropertyKey>): boolean {
  const key = keyPath(path);
  return key === "cloud.token" || /^servers\[\d+\]\.token$/.test(key);
}

/**
 * Replaces `${VAR}` in every string value with the environment's value. A missing variable is an
 * error naming the key, so a secret never silently becomes an empty string. Keys for which `skip`
 * is true are left as written (the web process never expands tokens).
 */
export function expandEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  source: string,
  path: PropertyKey[] = [],
  skip: (path: PropertyKey[]) => boolean = () => false,
): unknown {
  if (skip(path)) return value;
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const resolved = env[name];
      if (resolved === undefined)
        throw new InputError(
          source,
          keyPath(path),
          `environment variable ${name} is not set`,
          `Set ${name}, or write the value without \${...}.`,
        );
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => expandEnv(item, env, source, [...path, i], skip));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, source, [...path, k], skip)]),
    );
  }
  return value;
}

function readYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new InputError(
      source,
      `line ${error.linePos?.[0].line ?? "?"}`,
      `invalid YAML (${error.message.split("\n")[0]})`,
      FIX,
    );
  }
  const raw = document.toJS() as unknown;
  if (raw === null || typeof raw !== "object") throw new InputError(source, "", "is empty or not a mapping", FIX);
  return raw;
}

/** Parses and validates deployment config text, every `${VAR}` expanded and every token required (workers, CLI). */
export function parseDeploymentConfig(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): DeploymentConfig {
  const parsed = deploymentConfigSchema.safeParse(expandEnv(readYaml(text, source), env, source));
  if (!parsed.success) throw configError(source, parsed.error, FIX, deploymentConfigSchema);
  return parsed.data;
}

/**
 * Parses deployment config text for the web process: tokens are not expanded and not kept, so
 * `${GHES_A_TOKEN}` may be unset where webhooks are served.
 */
export function parseWebDeploymentConfig(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): WebDeploymentConfig {
  const parsed = webDeploymentConfigSchema.safeParse(expandEnv(readYaml(text, source), env, source, [], isTokenKey));
  if (!parsed.success) throw configError(source, parsed.error, FIX, webDeploymentConfigSchema);
  return parsed.data;
}

async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = errorCode(error);
    throw new InputError(
      path,
      "",
      code === "ENOENT" ? "file not found" : `cannot read (${code})`,
      "Create it (see docs/configuration.md) or point LICENSE_SYNC_CONFIG / --config at it.",
    );
  }
}

/**
 * Reads the deployment config (`LICENSE_SYNC_CONFIG`, default `license-sync.config.yml`) as
 * workers and the CLI need it: tokens expanded and required.
 *
 * @example
 *   const config = await loadDeploymentConfig(process.env.LICENSE_SYNC_CONFIG ?? "license-sync.config.yml");
 */
export async function loadDeploymentConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeploymentConfig> {
  return parseDeploymentConfig(await readConfigFile(path), path, env);
}

/** Reads the deployment config as the web process needs it: no token expanded or kept. */
export async function loadWebDeploymentConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WebDeploymentConfig> {
  return parseWebDeploymentConfig(await readConfigFile(path), path, env);
}
