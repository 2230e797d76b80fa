import {
  type CloudIdentities,
  collectGhec,
  collectGhecIdentities,
  collectGhecLicenses,
  collectGhes,
  readUsageFile,
} from "../collect/index.js";
import { type AccountLines, accountsOfLines } from "../collect/readers/index.js";
import type { RepositoryConfig, ServerConfig } from "../config/index.js";
import { deadlinesOf, nameUnreachable } from "../github/index.js";
import type { PublishResult, PublishTarget } from "../publish/index.js";
import { detectDivergences, startReconciliation } from "../reconcile/index.js";
import type {
  CloudCollection,
  CloudLicense,
  CloudProgress,
  InstanceFacts,
  RunRecord,
  RunTrigger,
  ServerAccount,
  ServerCollection,
  ServerProgress,
} from "../shared/index.js";
import type { PipelineDeps } from "./deps.js";

/** Publishes a finished run: `publishRun` from src/publish, injected so tests and dry runs can choose. */
export type Publisher = (record: RunRecord, target: PublishTarget) => Promise<PublishResult>;

/** Where a server's accounts go while it is collected: kept (default) or handed to a sink. */
export interface CollectServerOptions {
  onAccount?: (account: ServerAccount) => void;
  /**
   * Where the accounts of a report parsed in a worker thread go (when `deps.threadSecret` is set),
   * as JSON lines; without it, or for usage files, accounts go to `onAccount` (or are kept).
   */
  onAccountLines?: (batch: AccountLines) => void;
  onProgress?: (progress: ServerProgress) => void;
  /** For usage files in the admin repository: the commit to read them at. */
  usageFileRef?: string;
}

/**
 * Collects one configured GHES: over its API, or from its newest usage file (air gap).
 *
 * @example const collection = await collectServerInstance(deps, deps.deployment.servers[0]!);
 */
export async function collectServerInstance(
  deps: PipelineDeps,
  server: ServerConfig,
  options: CollectServerOptions = {},
): Promise<ServerCollection & { source: InstanceFacts["source"] }> {
  const logger = deps.logger;
  if (server.usageFile) {
    const input = await deps.openUsageFile(server.usageFile, options.usageFileRef);
    const { collection } = await readUsageFile(input, {
      source: server.usageFile,
      keyId: deps.protector.keyId,
      expectedHostname: server.hostname,
      onAccount: options.onAccount,
    });
    logger.info(
      { hostname: server.hostname, accounts: collection.accountCount, generatedAt: collection.collectedAt },
      "read usage file",
    );
    return { ...collection, source: "usage-file" };
  }
  const { reportDeadlineSeconds, pollIntervalSeconds } = deps.deployment.collect;
  const collection = await collectGhes({
    client: deps.serverClient(server),
    server: { hostname: server.hostname, url: server.url!, token: server.token!, login: server.login },
    protector: deps.protector,
    logger,
    fetch: deps.fetch,
    pollIntervalMs: pollIntervalSeconds * 1000,
    maxPollIntervalMs: Math.max(pollIntervalSeconds * 1000, 60_000),
    deadlineMs: reportDeadlineSeconds * 1000,
    reportDeadlines: deadlinesOf(deps.deployment.timeouts, true),
    onProgress: options.onProgress,
    onAccount: options.onAccount,
    ...(deps.threadSecret && options.onAccountLines
      ? { inThread: { secret: deps.threadSecret, onAccountLines: options.onAccountLines } }
      : {}),
  });
  return { ...collection, source: "api" };
}

/**
 * Collects the GHEC side: consumed licenses, sync status, identities, verified domains. With
 * `onLicense`, each license goes there as soon as it is assembled and `usage.licenses` comes back
 * empty (the App streams them to the run store while identities are still being read). With
 * `identities: false`, the identities are left to `collectCloudIdentities` (the App's
 * `collect-identities` job) and come back empty.
 */
export function collectCloud(
  deps: PipelineDeps,
  onProgress?: (progress: CloudProgress) => void,
  onLicense?: (license: CloudLicense) => void,
  options: { identities?: boolean } = {},
): Promise<CloudCollection> {
  const collect = options.identities === false ? collectGhecLicenses : collectGhec;
  return collect({ ...ghecOptions(deps), concurrency: deps.deployment.cloud.concurrency, onProgress, onLicense });
}

/** Collects the GHEC identities and verified domains alone (see `collectCloud`). */
export function collectCloudIdentities(deps: PipelineDeps): Promise<CloudIdentities> {
  return collectGhecIdentities(ghecOptions(deps));
}

/** What every GHEC collector takes from the run's dependencies. */
function ghecOptions(deps: PipelineDeps) {
  const { deployment } = deps;
  return {
    client: deps.cloudClient,
    enterprise: deployment.enterprise,
    organizations: deployment.cloud.organizations,
    protector: deps.protector,
    logger: deps.logger,
  };
}

export interface AnalyzeInput {
  runId: string;
  trigger: RunTrigger;
  enterprise: string;
  startedAt: string;
  repoConfig: RepositoryConfig;
  /** Every configured instance; `accounts` may be empty when they come through `accounts` below. */
  servers: Array<ServerCollection & { source: InstanceFacts["source"] }>;
  /** The GHEC side. Taken over: its `identities` are emptied once the engine has indexed them. */
  cloud: CloudCollection;
  /** Accounts kept elsewhere (a run store, JSON lines), streamed in after the cloud side is indexed. */
  accounts?: AsyncIterable<ServerAccount> | Iterable<ServerAccount>;
  /** Degraded features found before collecting (token scopes). */
  warnings?: string[];
  now: Date;
}

/**
 * Reconciles one run and detects every divergence (the "reconcile" of collect -> reconcile ->
 * publish): cloud rows and identities first, then every server account streams through.
 */
export async function analyzeRun(input: AnalyzeInput): Promise<RunRecord> {
  const { repoConfig, cloud, servers } = input;
  const run = startReconciliation({
    collectedHosts: servers.map((s) => s.hostname),
    cloud: cloud.usage,
    identities: cloud.identities,
    verifiedDomains: cloud.verifiedDomains.length > 0 ? cloud.verifiedDomains : undefined,
  });
  // The identities live on in the engine's lookups alone: the collection's list of them (a few
  // hundred thousand at a large enterprise) is let go before the accounts stream in.
  cloud.identities = [];
  for (const server of servers) for (const account of server.accounts) run.addServerAccount(account);
  if (input.accounts) for await (const account of input.accounts) run.addServerAccount(account);
  const report = run.finish({ perPerson: false });
  const instances: InstanceFacts[] = servers.map((s) => ({
    hostname: s.hostname,
    source: s.source,
    collectedAt: s.collectedAt,
    license: s.license,
    seatsUsedDifference: s.seatsUsedDifference,
  }));
  report.divergences = detectDivergences({
    report,
    thresholds: repoConfig.thresholds,
    run: {
      syncStatus: cloud.syncStatus,
      instances,
      cloudRows: cloud.usage.licenses,
      collectedHosts: instances.map((instance) => instance.hostname),
      now: input.now,
    },
  });
  return {
    runId: input.runId,
    enterprise: input.enterprise,
    trigger: input.trigger,
    startedAt: input.startedAt,
    finishedAt: input.now.toISOString(),
    report,
    instances,
    syncStatus: cloud.syncStatus,
    totalsChangedMidRun: cloud.totalsChangedMidRun,
    ...(input.warnings && input.warnings.length > 0 ? { warnings: input.warnings } : {}),
  };
}

/** Everything one run collected, for `analyzeRun`. */
export interface RunCollection {
  cloud: CloudCollection;
  servers: Array<ServerCollection & { source: InstanceFacts["source"] }>;
  /** Accounts of reports parsed in worker threads, decoded as the engine takes them. */
  accounts: Iterable<ServerAccount>;
}

/**
 * Step 1 of a run without a queue: the GHEC side and every GHES at once. Reports are parsed in
 * worker threads when `deps.threadSecret` is set, so the GHEC pages fetched meanwhile on this
 * thread do not wait behind them; their accounts are held as JSON lines until reconciliation.
 *
 * @example const { cloud, servers, accounts } = await collectRun(deps, {});
 */
export async function collectRun(
  deps: PipelineDeps,
  options: Pick<RunPipelineOptions, "onCloudProgress" | "onServerProgress">,
): Promise<RunCollection> {
  const lines: AccountLines[] = [];
  const [cloud, ...servers] = await Promise.all([
    collectCloud(deps, options.onCloudProgress).catch((error: unknown) =>
      Promise.reject(nameUnreachable(error, "cloud.apiUrl")),
    ),
    ...deps.deployment.servers.map((server, index) =>
      collectServerInstance(deps, server, {
        onProgress: (p) => options.onServerProgress?.(server.hostname, p),
        onAccountLines: (batch) => lines.push(batch),
      }).catch((error: unknown) => Promise.reject(nameUnreachable(error, `servers[${index}].url`))),
    ),
  ]);
  return { cloud, servers, accounts: accountsOfLines(lines) };
}

export interface RunPipelineOptions {
  deps: PipelineDeps;
  repoConfig: RepositoryConfig;
  runId: string;
  trigger: RunTrigger;
  /** Where and with what to publish (`publishRun`); omit to only compute. */
  publish?: { target: Omit<PublishTarget, "config" | "logger">; publisher: Publisher };
  onServerProgress?: (hostname: string, progress: ServerProgress) => void;
  onCloudProgress?: (progress: CloudProgress) => void;
  /** Degraded features found before collecting (token scopes), carried into the summary. */
  warnings?: string[];
  now?: () => Date;
}

/**
 * One whole run without a queue (`license-sync sync`); the worker runs the same steps as a flow.
 *  1. collect every GHES and the GHEC side, concurrently
 *  2. reconcile and detect divergences
 *  3. publish (or plan, in a dry run)
 */
export async function runPipeline(
  options: RunPipelineOptions,
): Promise<{ record: RunRecord; published: PublishResult | null }> {
  const { deps, repoConfig } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  // 1.
  const { cloud, servers, accounts } = await collectRun(deps, options);
  // 2.
  const record = await analyzeRun({
    runId: options.runId,
    trigger: options.trigger,
    enterprise: deps.deployment.enterprise,
    startedAt,
    repoConfig,
    servers,
    cloud,
    accounts,
    warnings: options.warnings,
    now: now(),
  });
  // 3.
  const published = options.publish
    ? await options.publish.publisher(record, { ...options.publish.target, config: repoConfig, logger: deps.logger })
    : null;
  return { record, published };
}
