import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";

/**
 * Fills `NAME` from the file named by `NAME_FILE`, for every `*_FILE` variable, the convention of
 * Docker and Kubernetes secrets (`/run/secrets/...`): a secret mounted as a file never has to sit
 * in the environment of the container definition, where `docker inspect` shows it.
 *
 * One trailing newline is dropped (editors and `echo` add it; a key with a newline would not
 * match). Setting both `NAME` and `NAME_FILE` is refused: which one wins would be a guess.
 * Probot's own `PRIVATE_KEY_PATH` keeps working as before.
 *
 * @example
 *   // WEBHOOK_SECRET_FILE=/run/secrets/webhook_secret
 *   const env = withSecretFiles(process.env); // env.WEBHOOK_SECRET === contents of that file
 */
export function withSecretFiles(env: NodeJS.ProcessEnv, read: (path: string) => string = (p) => readFileSync(p, "utf8")): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const [key, path] of Object.entries(env)) {
    if (!key.endsWith("_FILE") || key === "_FILE" || !path) continue;
    const name = key.slice(0, -"_FILE".length);
    if (env[name] !== undefined && env[name] !== "") {
      throw new InputError("environment", key, `is set together with ${name}`, `Set only one of ${name} and ${key}.`);
    }
    let text: string;
    try {
      text = read(path);
    } catch (error) {
      throw new InputError("environment", key, `cannot read the file it names (${(error as NodeJS.ErrnoException).code ?? "error"})`, unreadableFix(error, key));
    }
    out[name] = text.replace(/\r?\n$/, "");
  }
  return out;
}

/** The fix for a secret or key file the process cannot read, by the reason it cannot. */
export function unreadableFix(error: unknown, variable: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (code === "EACCES" || code === "EPERM") {
    return `The file exists but this process (uid ${uid ?? "?"}) may not read it: make it readable by that user (the image runs as uid 1000, e.g. \`chown 1000 FILE\` or \`chmod 0444 FILE\`), or mount it as a Compose/Kubernetes secret, which is readable by the container's user.`;
  }
  if (code === "ENOENT") return `No file is there: mount the file into the container, or fix the path in ${variable}.`;
  if (code === "EISDIR") return `${variable} names a directory: point it at the file itself.`;
  return `Check that ${variable} names a readable file.`;
}
