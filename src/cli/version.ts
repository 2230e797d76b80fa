import { readFile } from "node:fs/promises";

/**
 * The version of the installed package, from its package.json (one directory above dist/ and
 * src/ alike), so `--version` never drifts from what npm installed.
 *
 * @example await version() // "0.1.0"
 */
export async function version(): Promise<string> {
  const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}
