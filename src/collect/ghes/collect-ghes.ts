import { z } from "zod";
import {
  deadlineFetch,
  DEFAULT_REPORT_DEADLINES,
  type GitHubClient,
  normalizeBaseUrl,
  type RequestDeadlines,
  RequestMeter,
  settleAll,
  TIMEOUT_KEYS,
} from "../../github/index.js";
import type { EmailProtector } from "../../privacy/index.js";
import type { Clock, Log, ServerAccount, ServerCollection, ServerProgress } from "../../shared/index.js";
import { optionalEndpoint, siteAdminRequired } from "./access.js";
import { fetchServerLicense, fetchServerStats } from "./license.js";
import { openAllUsersReport } from "./report.js";
import { readAllUsersCsv } from "../readers/ghes-csv.js";
import { readAllUsersCsvInThread } from "../readers/ghes-csv-thread.js";
import type { AccountLines } from "../readers/ghes-csv-thread-protocol.js";

/** How often progress is reported while the report streams in. */
const PROGRESS_EVERY = 1000;

export interface GhesServer {
  /** As GitHub writes it in `enterprise_server_user_ids`. */
  hostname: string;
  /** Web URL (`https://ghes-a.corp.example`). */
  url: string;
  /** Site administrator's classic PAT (`site_admin`). */
  token: string;
  /** That administrator's login, for basic auth on the report; looked up with `GET /user` when absent. */
  login?: string;
}

export interface CollectGhesOptions {
  /** A client from `createGhesClient` for the same server. */
  client: GitHubClient;
  server: GhesServer;
  protector: EmailProtector;
  logger: Log;
  /** For the report download (default: Node's fetch). */
  fetch?: typeof fetch;
  /** First wait after `202 Accepted` (default 2 s), doubled up to `maxPollIntervalMs` (default 30 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** How long to wait for GHES to build the report (default 10 min). */
  deadlineMs?: number;
  /** The clock the report's polls wait on (default: the system's). */
  clock?: Clock;
  /** Deadlines of each report request; `totalMs` bounds the download (default: timeouts.* defaults). */
  reportDeadlines?: RequestDeadlines;
  onProgress?: (progress: ServerProgress) => void;
  /**
   * Hands each account over instead of keeping it (`accounts` then stays empty): a sink such as
   * the engine or a run store sees a million accounts without this collector holding them.
   */
  onAccount?: (account: ServerAccount) => void;
  /**
   * Parses, validates and keys the report in a worker thread (`readAllUsersCsvInThread`) and
   * hands the accounts over as batches of JSON lines (`accounts` then stays empty, `onAccount` is
   * not called): the calling thread only moves bytes in and lines out, so what else it does at
   * the same time (GHEC pages) does not stall behind a million rows. `secret` keys emails exactly
   * as `protector` would.
   */
  inThread?: { secret: string; onAccountLines: (batch: AccountLines) => void };
}

const viewerSchema = z.looseObject({ login: z.string().min(1), site_admin: z.boolean().optional() });

/** The token owner's login, checking on the way that they are a site administrator. */
async function siteAdminLogin(client: GitHubClient, hostname: string, meter: RequestMeter): Promise<string> {
  const data = await optionalEndpoint(
    () => client.request("GET /user", { request: meter.tag() }),
    hostname,
    "GET /user",
  );
  const viewer = viewerSchema.safeParse(data);
  if (!viewer.success) throw new Error(`GHES ${hostname}: GET /api/v3/user did not return a user`);
  if (viewer.data.site_admin === false) {
    throw siteAdminRequired(
      hostname,
      "GET /user",
      `the token belongs to ${viewer.data.login}, who is not a site administrator`,
    );
  }
  return viewer.data.login;
}

/**
 * Collects one GHES instance: every account with its primary email (the site-admin report,
 * streamed straight into engine records so no clear email is kept and the file is never held
 * whole), the license and the user statistics, all three at once.
 *
 * @example
 *   const client = createGhesClient({ url: server.url, token: server.token, logger });
 *   const collection = await collectGhes({ client, server, protector, logger, onProgress: ({ accountsRead }) => job.updateProgress(accountsRead) });
 */
export async function collectGhes(options: CollectGhesOptions): Promise<ServerCollection> {
  const { client, server, protector, logger, onProgress } = options;
  const started = performance.now();
  const collectedAt = new Date().toISOString();
  const hostname = server.hostname.trim().toLowerCase();
  const url = normalizeBaseUrl(server.url, "servers[].url");
  const meter = new RequestMeter();
  const siteAdmin = { client, hostname, meter, logger };

  let accountCount = 0;
  let billableAccounts = 0;
  const readAccounts = async (): Promise<ServerAccount[]> => {
    const login = server.login?.trim() || (await siteAdminLogin(client, hostname, meter));
    const csv = await openAllUsersReport({
      url,
      hostname,
      login,
      token: server.token,
      meter,
      logger,
      fetch: deadlineFetch({
        deadlines: options.reportDeadlines ?? DEFAULT_REPORT_DEADLINES,
        service: `GHES ${hostname}`,
        totalSetting: TIMEOUT_KEYS.report,
        fetch: options.fetch,
      }),
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      maxPollIntervalMs: options.maxPollIntervalMs ?? 30_000,
      deadlineMs: options.deadlineMs ?? 600_000,
      clock: options.clock,
    });
    const source = `GHES ${hostname} all_users.csv`;
    const accounts: ServerAccount[] = [];
    if (options.inThread) {
      const { secret, onAccountLines } = options.inThread;
      for await (const batch of readAllUsersCsvInThread(csv, { hostname, source, secret })) {
        accountCount += batch.count;
        billableAccounts += batch.billable;
        onAccountLines(batch);
        onProgress?.({ accountsRead: accountCount });
      }
      return accounts;
    }
    for await (const account of readAllUsersCsv(csv, { hostname, source, protector })) {
      accountCount++;
      if (account.licensable && !account.suspended) billableAccounts++;
      if (options.onAccount) options.onAccount(account);
      else accounts.push(account);
      if (accountCount % PROGRESS_EVERY === 0) onProgress?.({ accountsRead: accountCount });
    }
    onProgress?.({ accountsRead: accountCount });
    return accounts;
  };

  const [accounts, license, stats] = await settleAll([
    () => readAccounts(),
    () => fetchServerLicense(siteAdmin),
    () => fetchServerStats(siteAdmin),
  ] as const);
  const collection: ServerCollection = {
    hostname,
    accounts,
    accountCount,
    collectedAt,
    license,
    stats,
    billableAccounts,
    seatsUsedDifference: license ? billableAccounts - license.seatsUsed : null,
    durationMs: Math.round(performance.now() - started),
    requests: meter.count,
  };
  logger.info(
    {
      hostname,
      accounts: accountCount,
      billableAccounts,
      seatsUsed: license?.seatsUsed ?? null,
      requests: collection.requests,
      durationMs: collection.durationMs,
    },
    "collected GHES instance",
  );
  return collection;
}
