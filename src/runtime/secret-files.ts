import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { errorCode, InputError } from "../shared/index.js";

/** The variables the processes read that may hold a secret, and so may come from a file. */
export const SECRET_VARIABLES = [
  "PRIVATE_KEY",
  "WEBHOOK_SECRET",
  "LICENSE_SYNC_SECRET",
  "REDIS_URL",
  "REDIS_PASSWORD",
  "METRICS_TOKEN",
] as const;

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * The `${VAR}` names a deployment config refers to (its tokens), so they can be filled from files
 * before the config is expanded. Values at keys for which `skip` is true are left out: the web
 * process passes `isTokenKey` and so never opens a token's file (a shared `GHEC_TOKEN_FILE` would
 * otherwise stop it when the file is not mounted there, or put the token in its environment).
 * Unparsable YAML names every `${VAR}` of the text: loading the config reports the YAML error.
 *
 * @example configVariables("cloud:\n  token: ${GHEC_TOKEN}\n", isTokenKey) // []
 */
export function configVariables(configText: string, skip: (path: PropertyKey[]) => boolean = () => false): string[] {
  const document = parseDocument(configText);
  if (document.errors.length > 0) return [...new Set([...configText.matchAll(VARIABLE)].map((m) => m[1]!))];
  const names = new Set<string>();
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (skip(path)) return;
    if (typeof value === "string") for (const match of value.matchAll(VARIABLE)) names.add(match[1]!);
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (value && typeof value === "object")
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(document.toJS() as unknown, []);
  return [...names];
}

/**
 * Fills `NAME` from the file named by `NAME_FILE`, for each of `names`: the convention of Docker
 * and Kubernetes secrets (`/run/secrets/...`), so a secret mounted as a file never has to sit in
 * the environment of the container definition, where `docker inspect` shows it. Only names the
 * processes read are looked at: other tools' `*_FILE` variables (`TF_CLI_CONFIG_FILE`) are not
 * ours to open.
 *
 * One trailing newline is dropped (editors and `echo` add it; a key with a newline would not
 * match). Setting both `NAME` and `NAME_FILE` is refused: which one wins would be a guess.
 * Probot's own `PRIVATE_KEY_PATH` keeps working as before.
 *
 * @example
 *   // WEBHOOK_SECRET_FILE=/run/secrets/webhook_secret
 *   const env = withSecretFiles(process.env, SECRET_VARIABLES); // env.WEBHOOK_SECRET === contents of that file
 */
export function withSecretFiles(
  env: NodeJS.ProcessEnv,
  names: readonly string[],
  read: (path: string) => string = (p) => readFileSync(p, "utf8"),
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of names) {
    const key = `${name}_FILE`;
    const path = env[key];
    if (!path) continue;
    if (env[name] !== undefined && env[name] !== "") {
      throw new InputError("environment", key, `is set together with ${name}`, `Set only one of ${name} and ${key}.`);
    }
    let text: string;
    try {
      text = read(path);
    } catch (error) {
      throw new InputError(
        "environment",
        key,
        `cannot read the file it names (${errorCode(error) ?? "error"})`,
        unreadableFix(error, key),
      );
    }
    // An empty file is a secret not yet written, never a value: an empty METRICS_TOKEN would
    // quietly mean "no token", /metrics open to anyone.
    if (text.trim() === "")
      throw new InputError(
        "environment",
        key,
        "names an empty file",
        `Put the secret in the file ${key} names (one line), or unset ${key}.`,
      );
    out[name] = text.replace(/\r?\n$/, "");
  }
  return out;
}

/** The fix for a secret or key file the process cannot read, by the reason it cannot. */
export function unreadableFix(error: unknown, variable: string): string {
  const code = errorCode(error);
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (code === "EACCES" || code === "EPERM") {
    return `The file exists but this process (uid ${uid ?? "?"}) may not read it: make it readable by that user (the image runs as uid 1000, e.g. \`chown 1000 FILE\` or \`chmod 0444 FILE\`), or mount it as a Compose/Kubernetes secret, which is readable by the container's user.`;
  }
  if (code === "ENOENT") return `No file is there: mount the file into the container, or fix the path in ${variable}.`;
  if (code === "EISDIR") return `${variable} names a directory: point it at the file itself.`;
  return `Check that ${variable} names a readable file.`;
}
