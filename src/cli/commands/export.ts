import { gzipSync } from "node:zlib";
import { collectGhes, usageFileChunks } from "../../collect/index.js";
import { isTokenShaped, TOKEN_SHAPE } from "../../config/index.js";
import { createGhesClient, nameUnreachable } from "../../github/index.js";
import { createEmailProtector } from "../../privacy/index.js";
import { InputError } from "../../shared/index.js";
import { writeFileAtomic } from "../atomic-write.js";
import { createCliLogger } from "../logger.js";
import { parseOptions } from "../parse-options.js";
import { createProgressDisplay } from "../progress.js";

function parseExportArgs(args: string[]) {
  const values = parseOptions(args, {
    "server-url": { type: "string" },
    "token-env": { type: "string" },
    out: { type: "string" },
    hostname: { type: "string" },
    login: { type: "string" },
  });
  for (const required of ["server-url", "token-env", "out"] as const) {
    if (!values[required])
      throw new InputError(
        "command line",
        `--${required}`,
        "missing",
        "Usage: license-sync export --server-url URL --token-env VAR --out FILE",
      );
  }
  return values as typeof values & { "server-url": string; "token-env": string; out: string };
}

/**
 * `license-sync export`: collect one GHES into a usage file (the air-gapped path). Runs inside the
 * GHES network; the file holds hashed and masked emails only, keyed with the app's
 * LICENSE_SYNC_SECRET, and is then committed under `license-usage/uploads/` of the admin repository.
 *  1. check arguments and secrets
 *  2. collect accounts, license and version
 *  3. write the file atomically (gzip when it ends in .gz)
 */
export async function exportCommand(args: string[]): Promise<number> {
  // 1.
  const options = parseExportArgs(args);
  const token = process.env[options["token-env"]]?.trim();
  if (!token)
    throw new InputError(
      "environment",
      options["token-env"],
      "is not set or empty",
      `Export the site administrator's PAT (site_admin) as ${options["token-env"]}.`,
    );
  if (!isTokenShaped(token))
    throw new InputError("environment", options["token-env"], TOKEN_SHAPE, "Copy the token again into the variable.");
  const secret = process.env.LICENSE_SYNC_SECRET;
  if (!secret)
    throw new InputError(
      "environment",
      "LICENSE_SYNC_SECRET",
      "is not set",
      "Use the same LICENSE_SYNC_SECRET as the app, or its hashes will not match.",
    );
  let url: URL;
  try {
    url = new URL(options["server-url"]);
  } catch {
    throw new InputError(
      "command line",
      "--server-url",
      "is not a URL",
      "Give the instance's web URL, e.g. https://ghes-a.corp.example.",
    );
  }
  // The web URL, also when the REST root (…/api/v3) was pasted: the client appends /api/v3 itself.
  const serverUrl = `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/api\/v3$/i, "")}`;
  const hostname = (options.hostname ?? url.hostname).toLowerCase();
  const progress = createProgressDisplay();
  const logger = createCliLogger(progress);
  const protector = createEmailProtector({ secret });
  // 2.
  const client = createGhesClient({ url: serverUrl, token, logger, readOnly: true });
  const collection = await collectGhes({
    client,
    server: { hostname, url: serverUrl, token, login: options.login },
    protector,
    logger,
    onProgress: (p) => progress.server(hostname, p),
  })
    .catch((error: unknown) => Promise.reject(nameUnreachable(error, "--server-url")))
    .finally(() => progress.finish());
  const version = await client.request("GET /meta").then(
    ({ data }) => (data as { installed_version?: string }).installed_version ?? null,
    () => null,
  );
  // 3.
  const chunks = usageFileChunks(
    { hostname, version, generatedAt: collection.collectedAt, license: collection.license, keyId: protector.keyId },
    collection.accounts,
  );
  await writeFileAtomic(
    options.out,
    options.out.endsWith(".gz") ? gzipSync(Buffer.from([...chunks].join(""))) : chunks,
  );
  process.stderr.write(
    `Wrote ${collection.accountCount} accounts of ${hostname} to ${options.out}. Commit it under license-usage/uploads/ of the admin repository.\n`,
  );
  return 0;
}
