import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "probot";
import { parseJobData, startRunDataSchema, type RunInfo } from "../queue/job-data.js";
import { adminClient, adminRepository, type JobServices } from "./services.js";
import { JOB, parentJobId } from "../queue/names.js";
import { checkRunTokens, readRepositoryConfig } from "../../pipeline/index.js";
import { runHoldBoundMs } from "../flow/run-bound.js";
import { claimEnterprise, releaseEnterprise } from "../flow/run-gate.js";
import { runIdOfScheduledJob } from "../queue/run-id.js";
import { recordRun } from "../store/run-index.js";
import { runFlow } from "../flow/run-flow.js";

/** The run a start job stands for: its own run id, or one derived from a scheduler job's id. */
export function startJobRunId(job: Pick<Job, "data" | "id">): string {
  const data = job.data as { runId?: string; enterprise?: string };
  return data.runId ?? runIdOfScheduledJob(String(data.enterprise), String(job.id));
}

/**
 * `start-run`: waits until the enterprise has no run in progress, checks the tokens' scopes and
 * reads the repository config (a missing scope or invalid config fails here, before anything is
 * collected), then adds the run's flow.
 */
export async function processStartRun(
  job: Job,
  token: string | undefined,
  services: JobServices,
  log: Logger,
): Promise<{ runId: string }> {
  const request = parseJobData(startRunDataSchema, job.data, JOB.startRun);
  const runId = startJobRunId(job);
  if (request.enterprise !== services.deployment.enterprise) {
    throw new UnrecoverableError(
      `run for enterprise ${request.enterprise}, but this deployment serves ${services.deployment.enterprise}`,
    );
  }
  const gate = {
    redis: services.redis,
    prefix: services.prefix,
    queue: services.queue,
    maxRunMs: runHoldBoundMs(services.deployment),
  };
  const holder = await claimEnterprise(gate, request.enterprise, runId);
  if (holder) {
    // Stay pending (and deduplicating further requests) until the current run ends.
    log.info({ holder }, "the enterprise's previous run is still in progress; waiting");
    await job.updateProgress({ phase: "waiting", holder });
    await job.moveToDelayed(Date.now() + services.startPollMs, token);
    throw new DelayedError();
  }
  if (await services.queue.getJob(parentJobId(runId))) {
    log.info("flow already added (retried start job)");
    return { runId };
  }
  try {
    // Before anything is collected: every token's scopes, then the admin repository and its config.
    const { warnings } = await checkRunTokens(services.deployment, "app", log);
    const run: RunInfo = {
      ...request,
      runId,
      startedAt: services.now().toISOString(),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    const { owner, repo } = adminRepository(services.deployment);
    const repoConfig = await readRepositoryConfig(await adminClient(services), { owner, repo }, log);
    await services.flow.add(
      runFlow({
        run,
        repoConfig,
        hostnames: services.deployment.servers.map((s) => s.hostname),
        retry: services.retry,
      }),
    );
  } catch (error) {
    await releaseEnterprise(gate, request.enterprise, runId).catch(() => undefined);
    throw error;
  }
  await recordRun(services.redis, services.prefix, request.enterprise, runId, Date.now());
  services.metrics.runStarted(request.trigger);
  await job.updateProgress({ phase: "starting" });
  log.info(
    {
      trigger: request.trigger,
      requestedBy: request.requestedBy,
      servers: services.deployment.servers.length,
      dryRun: request.dryRun ?? false,
    },
    "run started",
  );
  return { runId };
}
