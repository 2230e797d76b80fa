import type { Job } from "bullmq";
import type { Logger } from "probot";
import { cloudSink } from "../store/collection-codec.js";
import { collectCloudDataSchema, parseJobData, type StoredCollection } from "../queue/job-data.js";
import { jobPipelineDeps, type JobServices } from "./services.js";
import { collectCloud } from "../../pipeline/index.js";
import { progressReporter } from "../flow/progress.js";
import { JOB, runKeys } from "../queue/names.js";

/**
 * `collect-cloud`: the GHEC side but its identities (consumed licenses, sync status), stored in
 * the run store, the licenses as they are assembled. Returns where it is. The identities are
 * `collect-identities`'s, except in flows added before that job existed (`identitiesJob` unset).
 */
export async function processCollectCloud(job: Job, services: JobServices, log: Logger): Promise<StoredCollection> {
  const { run, identitiesJob } = parseJobData(collectCloudDataSchema, job.data, JOB.collectCloud);
  const deps = await jobPipelineDeps(services, log);
  const report = progressReporter(job);
  report({ phase: "collecting", pagesRead: 0 });
  const key = `${runKeys.runData(services.prefix, run.runId)}cloud`;
  const sink = cloudSink(services.store, key);
  const cloud = await collectCloud(
    deps,
    ({ pagesRead, pages }) => report({ phase: "collecting", pagesRead, pages }),
    sink.onLicense,
    // A flow added before `collect-identities` existed has no such job: the identities are read here.
    { identities: identitiesJob !== true },
  ).catch(sink.discard);
  const records = await sink.finish(cloud);
  services.metrics.collected("cloud", sink.licenses(), cloud.requests);
  report({ phase: "stored" });
  log.info(
    {
      rows: sink.licenses(),
      syncStatus: cloud.syncStatus.length,
      requests: cloud.requests,
    },
    "cloud collection stored",
  );
  return { kind: "cloud", key, records };
}
