import { UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "probot";
import { analyzeRun } from "../../pipeline/index.js";
import type { RunRecord, ServerAccount } from "../../shared/index.js";
import { loadCloud, loadServer } from "../store/collection-codec.js";
import {
  parseJobData,
  reconcileDataSchema,
  storedCollectionSchema,
  type ReconcileData,
  type RunResult,
  type StoredCollection,
} from "../queue/job-data.js";
import { adminClient, adminRepository, type JobServices } from "./services.js";
import { progressReporter } from "../flow/progress.js";
import { JOB, runKeys } from "../queue/names.js";
import { claimOutcome, outcomeRecorded, recordRunSuccess } from "../flow/outcome.js";
import { publicationTime, storedRunResult, storeRunResult } from "../store/publication.js";
import { postReplyOnce } from "../flow/replies.js";
import { requestersOf } from "../store/requesters.js";

async function* concat(streams: Array<AsyncIterable<ServerAccount>>): AsyncGenerator<ServerAccount> {
  for (const stream of streams) yield* stream;
}

/** What a collect job collected, as operators name it (`GHES ghes-a.corp.example`), from its job id. */
function collectionName(jobId: string, hostnames: string[]): string {
  const server = /-server-(\d+)$/.exec(jobId);
  if (server) return `GHES ${hostnames[Number(server[1])] ?? `#${server[1]}`}`;
  if (jobId.endsWith("-identities")) return "GHEC identities";
  return jobId.endsWith("-cloud") ? "GHEC" : jobId;
}

/** The children's stored collections; a collection that failed for good ends the run here. */
async function storedCollections(
  job: Job,
  hostnames: string[],
  identitiesJob: boolean,
): Promise<{ cloud: StoredCollection; identities?: StoredCollection; servers: StoredCollection[] }> {
  const failed = Object.entries(await job.getFailedChildrenValues());
  if (failed.length > 0) {
    const reasons = failed
      .map(([key, reason]) => {
        const name = collectionName(key.split(":").at(-1) ?? "", hostnames);
        // Most reasons name their host already ("GHES ghes-a.corp.example: ...").
        return reason.startsWith(name) ? reason : `${name}: ${reason}`;
      })
      .join("; ");
    throw new UnrecoverableError(`collection failed: ${reasons}`);
  }
  const stored = Object.values(await job.getChildrenValues()).map((value) => storedCollectionSchema.parse(value));
  const cloud = stored.find((s) => s.kind === "cloud");
  if (!cloud) throw new UnrecoverableError("the run has no cloud collection");
  // Runs added before the identities were a job of their own have them in `cloud`. A run that has
  // the job must have its collection: matching without the identities would over-count.
  const identities = stored.find((s) => s.kind === "identities");
  if (identitiesJob && !identities) throw new UnrecoverableError("the run has no collection of the GHEC identities");
  const servers = hostnames.map((hostname) => {
    const found = stored.find((s) => s.kind === "server" && s.hostname === hostname);
    if (!found) throw new UnrecoverableError(`the run has no collection of ${hostname}`);
    return found;
  });
  return { cloud, ...(identities ? { identities } : {}), servers };
}

/**
 * Loads the stored collections and reconciles them. A function of its own so that the cloud
 * collection (every row, keyed) is unreachable once the record exists: publishing, which takes
 * the rest of the job, then runs without it.
 */
async function reconcileStored(
  services: JobServices,
  refs: { cloud: StoredCollection; identities?: StoredCollection; servers: StoredCollection[] },
  { run, repoConfig }: Pick<ReconcileData, "run" | "repoConfig">,
  at: Date,
): Promise<RunRecord> {
  const cloud = await loadCloud(services.store, refs.cloud.key, refs.identities?.key);
  const servers = await Promise.all(refs.servers.map((ref) => loadServer(services.store, ref.key)));
  return analyzeRun({
    runId: run.runId,
    trigger: run.trigger,
    enterprise: run.enterprise,
    startedAt: run.startedAt,
    repoConfig,
    servers: servers.map((s) => s.collection),
    cloud,
    accounts: concat(servers.map((s) => s.accounts)),
    warnings: run.warnings,
    now: at,
  });
}

/**
 * `reconcile-publish`, the flow's parent: loads the stored collections, reconciles (cloud first,
 * server accounts streamed), publishes, replies to the command, and removes the run's data.
 * Safe to retry: collections stay stored until the end, the publication time is fixed by the
 * first attempt (same week, same snapshot path, same bodies), publishing updates rather than
 * duplicates, each reply goes out once, and a run already completed returns its stored result.
 */
export async function processReconcilePublish(job: Job, services: JobServices, log: Logger): Promise<RunResult> {
  const { run, repoConfig, identitiesJob } = parseJobData(reconcileDataSchema, job.data, JOB.reconcilePublish);
  const report = progressReporter(job);
  // A retry of a run that completed (its completion lost, say) changes nothing more.
  const done = await storedRunResult(services.redis, services.prefix, run.runId);
  if (done) {
    log.info("run already published; nothing to do (retried job)");
    return done;
  }
  const hostnames = services.deployment.servers.map((s) => s.hostname);
  const refs = await storedCollections(job, hostnames, identitiesJob === true);
  // Fixed by the first attempt: a retry renders and writes exactly what the first one would.
  const at = await publicationTime(services.redis, services.prefix, run.runId, services.now());
  report({ phase: "reconciling" });
  const record = await reconcileStored(services, refs, { run, repoConfig }, at);
  const totals = record.report.totals;
  log.info(
    {
      uniqueUsers: totals.uniqueUsers,
      cloudUsers: totals.cloudUsers,
      serverOnlyUsers: totals.serverOnlyUsers,
      divergences: record.report.divergences.length,
    },
    "run reconciled",
  );
  report({ phase: "publishing" });
  const octokit = await adminClient(services);
  const { owner, repo } = adminRepository(services.deployment);
  const dryRun = run.dryRun ?? false;
  const result = await services.publishRun(record, {
    octokit,
    owner,
    repo,
    config: repoConfig,
    logger: log,
    dryRun,
    now: at,
  });
  log.info(
    { summaryIssue: result.summaryIssue?.url ?? null, action: result.summaryIssue?.action ?? null, dryRun },
    "run published",
  );
  if (!(await outcomeRecorded(services, run.runId))) {
    // The first requester and every request that joined the pending run, each on its own issue.
    const requesters = await requestersOf(services.redis, services.prefix, run);
    if (requesters.length > 0) report({ phase: "replying" });
    const body = services.renderCommandReply(record, result);
    for (const target of requesters) await postReplyOnce(octokit, target, run.runId, body);
    if (await claimOutcome(services, run.runId, "completed")) {
      recordRunSuccess(services, run);
      if (!dryRun) services.metrics.published(run.enterprise, record.report, at);
    }
  }
  const runResult: RunResult = {
    runId: run.runId,
    uniqueUsers: totals.uniqueUsers,
    summaryIssueUrl: result.summaryIssue?.url ?? null,
    summaryIssueNumber: result.summaryIssue?.number ?? null,
    dryRun,
    finishedAt: record.finishedAt,
  };
  await storeRunResult(services.redis, services.prefix, runResult);
  await services.store.deleteUnder(runKeys.runData(services.prefix, run.runId));
  report({ phase: "done" });
  return runResult;
}
