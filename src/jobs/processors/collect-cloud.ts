import type { Job } from "bullmq";
import type { Logger } from "probot";
import { saveCloud } from "../store/collection-codec.js";
import { collectCloudDataSchema, parseJobData, type StoredCollection } from "../queue/job-data.js";
import { jobPipelineDeps, type JobServices } from "./services.js";
import { collectCloud } from "../../pipeline/index.js";
import { progressReporter } from "../flow/progress.js";
import { JOB, runKeys } from "../queue/names.js";

/**
 * `collect-cloud`: the GHEC side (consumed licenses, sync status, identities, verified domains),
 * stored in the run store. Returns where it is.
 */
export async function processCollectCloud(job: Job, services: JobServices, log: Logger): Promise<StoredCollection> {
  const { run } = parseJobData(collectCloudDataSchema, job.data, JOB.collectCloud);
  const deps = await jobPipelineDeps(services, log);
  const report = progressReporter(job);
  report({ phase: "collecting", pagesRead: 0 });
  const cloud = await collectCloud(deps, ({ pagesRead, pages }) => report({ phase: "collecting", pagesRead, pages }));
  const key = `${runKeys.runData(services.prefix, run.runId)}cloud`;
  const records = await saveCloud(services.store, key, cloud);
  services.metrics.collected("cloud", cloud.usage.licenses.length, cloud.requests);
  report({ phase: "stored" });
  log.info(
    {
      rows: cloud.usage.licenses.length,
      identities: cloud.identities.length,
      syncStatus: cloud.syncStatus.length,
      requests: cloud.requests,
    },
    "cloud collection stored",
  );
  return { kind: "cloud", key, records };
}
