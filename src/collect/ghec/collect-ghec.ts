import { type GitHubClient, RequestMeter, settleAll } from "../../github/index.js";
import type { EmailProtector } from "../../privacy/index.js";
import type { CloudCollection, CloudLicense, CloudProgress, ExternalIdentity, Log } from "../../shared/index.js";
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

/** What the identities part of the GHEC side returns (`collectGhecIdentities`). */
export interface CloudIdentities {
  identities: ExternalIdentity[];
  /** Verified domains of the enterprise, lower-cased; empty when the token may not read them. */
  verifiedDomains: string[];
  requests: number;
  durationMs: number;
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
  const [licenses, identities] = await settleAll([
    () => collectGhecLicenses(options),
    () => collectGhecIdentities(options),
  ] as const);
  return withIdentities(licenses, identities);
}

/**
 * The licenses part of the GHEC side: consumed licenses and GHES sync status, at once, with
 * `identities` empty and `verifiedDomains` those of the rows' verified-domain emails. The App
 * runs it and `collectGhecIdentities` as two jobs, so that two workers share a run's GHEC side;
 * `withIdentities` joins the two.
 *
 * @example const licenses = await collectGhecLicenses({ client, enterprise: "acme", protector, logger });
 */
export async function collectGhecLicenses(options: CollectGhecOptions): Promise<CloudCollection> {
  const { client, enterprise, protector, logger, concurrency, onProgress, onLicense } = options;
  const started = performance.now();
  const meter = new RequestMeter();
  const [licenses, syncStatus] = await settleAll([
    () => collectConsumedLicenses({ client, enterprise, protector, logger, concurrency, onProgress, onLicense }),
    () => collectSyncStatus({ client, enterprise, logger, meter }),
  ] as const);
  return {
    usage: licenses.usage,
    syncStatus,
    identities: [],
    verifiedDomains: licenses.usage.verifiedEmailDomains,
    requests: licenses.requests + meter.count,
    totalsChangedMidRun: licenses.totalsChangedMidRun,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * The identities part of the GHEC side: SAML/SCIM identities of the enterprise and of its
 * organizations with their own provider, and the enterprise's verified domains. It is a chain of
 * GraphQL pages, one after the other (each needs the last one's cursor), so it is the longest
 * part of a large enterprise's collection.
 *
 * @example const identities = await collectGhecIdentities({ client, enterprise: "acme", protector, logger });
 */
export async function collectGhecIdentities(
  options: Pick<CollectGhecOptions, "client" | "enterprise" | "organizations" | "protector" | "logger">,
): Promise<CloudIdentities> {
  const { client, enterprise, organizations, protector, logger } = options;
  const started = performance.now();
  const meter = new RequestMeter();
  const result = await collectIdentities({ client, enterprise, organizations, protector, logger, meter });
  return {
    identities: result.identities,
    verifiedDomains: result.verifiedDomains,
    requests: meter.count,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * The GHEC side whole, from its two parts. Verified-domain emails are on verified domains by
 * definition: their domains complete the enterprise's list when the token may not read it.
 *
 * @example const cloud = withIdentities(await collectGhecLicenses(options), await collectGhecIdentities(options));
 */
export function withIdentities(licenses: CloudCollection, identities: CloudIdentities): CloudCollection {
  return {
    ...licenses,
    identities: identities.identities,
    verifiedDomains: [...new Set([...identities.verifiedDomains, ...licenses.verifiedDomains])].sort(),
    requests: licenses.requests + identities.requests,
    durationMs: Math.max(licenses.durationMs, identities.durationMs),
  };
}
