import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { InputError } from "../errors.js";
import { deploymentConfigSchema, type DeploymentConfig } from "./deployment.js";
import { configError, keyPath } from "./zod-error.js";

const FIX = "See docs/configuration.md for the deployment config.";

/**
 * Replaces `${VAR}` in every string value with the environment's value. A missing variable is an
 * error naming the key, so a secret never silently becomes an empty string.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv, source: string, path: PropertyKey[] = []): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const resolved = env[name];
      if (resolved === undefined) throw new InputError(source, keyPath(path), `environment variable ${name} is not set`, `Set ${name}, or write the value without \${...}.`);
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => expandEnv(item, env, source, [...path, i]));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, source, [...path, k])]));
  }
  return value;
}

/** Parses and validates deployment config text. */
export function parseDeploymentConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): DeploymentConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    throw new InputError(source, `line ${error.linePos?.[0].line ?? "?"}`, `invalid YAML (${error.message.split("\n")[0]})`, FIX);
  }
  const raw = document.toJS() as unknown;
  if (raw === null || typeof raw !== "object") throw new InputError(source, "", "is empty or not a mapping", FIX);
  const parsed = deploymentConfigSchema.safeParse(expandEnv(raw, env, source));
  if (!parsed.success) throw configError(source, parsed.error, FIX);
  return parsed.data;
}

/**
 * Reads the deployment config (`LICENSE_SYNC_CONFIG`, default `license-sync.config.yml`).
 *
 * @example
 *   const config = await loadDeploymentConfig(process.env.LICENSE_SYNC_CONFIG ?? "license-sync.config.yml");
 */
export async function loadDeploymentConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<DeploymentConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, "", code === "ENOENT" ? "file not found" : `cannot read (${code})`, "Create it (see docs/configuration.md) or point LICENSE_SYNC_CONFIG / --config at it.");
  }
  return parseDeploymentConfig(text, path, env);
}
