import type { Job } from "bullmq";
import type { Logger } from "probot";
import { saveIdentities } from "../store/collection-codec.js";
import { collectCloudDataSchema, parseJobData, type StoredCollection } from "../queue/job-data.js";
import { jobPipelineDeps, type JobServices } from "./services.js";
import { collectCloudIdentities } from "../../pipeline/index.js";
import { progressReporter } from "../flow/progress.js";
import { JOB, runKeys } from "../queue/names.js";

/**
 * `collect-identities`: the GHEC side's SAML/SCIM identities and verified domains, stored in the
 * run store (identities keyed, as collected). Returns where they are.
 */
export async function processCollectIdentities(
  job: Job,
  services: JobServices,
  log: Logger,
): Promise<StoredCollection> {
  const { run } = parseJobData(collectCloudDataSchema, job.data, JOB.collectIdentities);
  const deps = await jobPipelineDeps(services, log);
  const report = progressReporter(job);
  report({ phase: "collecting" });
  const key = `${runKeys.runData(services.prefix, run.runId)}identities`;
  const collected = await collectCloudIdentities(deps);
  const records = await saveIdentities(services.store, key, collected);
  services.metrics.collected("cloud", 0, collected.requests);
  report({ phase: "stored" });
  log.info(
    {
      identities: collected.identities.length,
      verifiedDomains: collected.verifiedDomains.length,
      requests: collected.requests,
    },
    "cloud identities stored",
  );
  return { kind: "identities", key, records };
}
