import { type GitHubClient, RequestMeter, settleAll } from "../../github/index.js";
import type { EmailProtector } from "../../privacy/index.js";
import type { CloudCollection, CloudLicense, CloudProgress, Log } from "../../shared/index.js";
import { collectConsumedLicenses } from "./consumed-licenses.js";
import { collectIdentities } from "./identities.js";
import { collectSyncStatus } from "./sync-status.js";

export interface CollectGhecOptions {
  /** A client from `createGhecClient`. */
  client: GitHubClient;
  /** Enterprise slug. */
  enterprise: string;
  /** Organizations with their own SAML provider, whose identities are read too. */
  organizations?: string[];
  protector: EmailProtector;
  logger: Log;
  /** `consumed-licenses` pages fetched at once (default 8). */
  concurrency?: number;
  onProgress?: (progress: CloudProgress) => void;
  /** Where each license goes as soon as it is assembled; `usage.licenses` then comes back empty. */
  onLicense?: (license: CloudLicense) => void;
}

/**
 * Collects the GHEC side of a run: consumed licenses, GHES sync status, SAML/SCIM identities
 * and verified domains, the three at once. Waits for all three before failing, so no request
 * outlives the call.
 *
 * @example
 *   const client = createGhecClient({ token: config.cloud.token, logger });
 *   const cloud = await collectGhec({ client, enterprise: "acme", protector, logger });
 */
export async function collectGhec(options: CollectGhecOptions): Promise<CloudCollection> {
  const { client, enterprise, organizations, protector, logger, concurrency, onProgress, onLicense } = options;
  const started = performance.now();
  const meter = new RequestMeter();
  const [licenses, syncStatus, identities] = await settleAll([
    () => collectConsumedLicenses({ client, enterprise, protector, logger, concurrency, onProgress, onLicense }),
    () => collectSyncStatus({ client, enterprise, logger, meter }),
    () => collectIdentities({ client, enterprise, organizations, protector, logger, meter }),
  ] as const);
  // Verified-domain emails are on verified domains by definition: they complete the list when the token may not read it.
  const verifiedDomains = [...new Set([...identities.verifiedDomains, ...licenses.usage.verifiedEmailDomains])].sort();
  return {
    usage: licenses.usage,
    syncStatus,
    identities: identities.identities,
    verifiedDomains,
    requests: licenses.requests + meter.count,
    totalsChangedMidRun: licenses.totalsChangedMidRun,
    durationMs: Math.round(performance.now() - started),
  };
}
