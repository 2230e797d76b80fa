import type { FlowJob } from "bullmq";
import type { RepositoryConfig } from "../../config/index.js";
import type { CollectCloudData, CollectServerData, ReconcileData, RunInfo } from "../queue/job-data.js";
import { COLLECT_JOB_OPTIONS, RECONCILE_JOB_OPTIONS, withBackoff, type RetryTuning } from "../queue/job-options.js";
import { JOB, QUEUE_NAME, cloudJobId, identitiesJobId, parentJobId, serverJobId } from "../queue/names.js";

export interface RunFlowInput {
  run: RunInfo;
  repoConfig: RepositoryConfig;
  /** Hostnames of the configured GHES instances, in configuration order. */
  hostnames: string[];
  retry?: RetryTuning;
}

/**
 * The flow of one run: `reconcile-publish` waits for `collect-cloud`, `collect-identities` and
 * one `collect-server` per GHES, which any worker may run at the same time. Job ids derive from
 * the run id, so adding the same run twice (a retried start job) cannot duplicate it.
 *
 * @example await flowProducer.add(runFlow({ run, repoConfig, hostnames: ["ghes-a.corp.example"] }));
 */
export function runFlow(input: RunFlowInput): FlowJob {
  const { run, repoConfig, hostnames, retry } = input;
  const collect = withBackoff(COLLECT_JOB_OPTIONS, retry);
  const cloud: CollectCloudData = { run, identitiesJob: true };
  const parent: ReconcileData = { run, repoConfig, identitiesJob: true };
  return {
    name: JOB.reconcilePublish,
    queueName: QUEUE_NAME,
    data: parent,
    opts: { ...withBackoff(RECONCILE_JOB_OPTIONS, retry), jobId: parentJobId(run.runId) },
    children: [
      // First: the longest collection (serial GraphQL pages) never waits for a worker's free slot.
      {
        name: JOB.collectIdentities,
        queueName: QUEUE_NAME,
        data: cloud,
        opts: { ...collect, jobId: identitiesJobId(run.runId) },
      },
      {
        name: JOB.collectCloud,
        queueName: QUEUE_NAME,
        data: cloud,
        opts: { ...collect, jobId: cloudJobId(run.runId) },
      },
      ...hostnames.map((hostname, index) => {
        const data: CollectServerData = { run, hostname };
        return {
          name: JOB.collectServer,
          queueName: QUEUE_NAME,
          data,
          opts: { ...collect, jobId: serverJobId(run.runId, index) },
        };
      }),
    ],
  };
}
