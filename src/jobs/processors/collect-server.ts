import { UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "probot";
import { serverSink } from "../store/collection-codec.js";
import { collectServerDataSchema, parseJobData, type StoredCollection } from "../queue/job-data.js";
import { jobPipelineDeps, type JobServices } from "./services.js";
import { collectServerInstance } from "../../pipeline/index.js";
import { progressReporter } from "../flow/progress.js";
import { JOB, runKeys } from "../queue/names.js";

/**
 * `collect-server`: one GHES instance (API or usage file), accounts streamed into the run store
 * as they are read. Returns where the collection is, never the collection.
 */
export async function processCollectServer(job: Job, services: JobServices, log: Logger): Promise<StoredCollection> {
  const { run, hostname } = parseJobData(collectServerDataSchema, job.data, JOB.collectServer);
  const server = services.deployment.servers.find((s) => s.hostname === hostname);
  if (!server) throw new UnrecoverableError(`GHES ${hostname} is no longer in the deployment config`);
  const deps = await jobPipelineDeps(services, log);
  const key = `${runKeys.runData(services.prefix, run.runId)}server:${hostname}`;
  const sink = serverSink(services.store, key);
  const report = progressReporter(job);
  report({ phase: "collecting", hostname, accountsRead: 0 });
  const collection = await collectServerInstance(deps, server, {
    onAccount: sink.onAccount,
    onAccountLines: sink.onAccountLines,
    onProgress: ({ accountsRead }) => report({ phase: "collecting", hostname, accountsRead }),
    usageFileRef: run.usageFiles?.ref,
  }).catch(sink.discard);
  const records = await sink.finish(collection);
  services.metrics.collected("server", collection.accountCount, collection.requests);
  report({ phase: "stored", hostname, accountsRead: collection.accountCount });
  log.info(
    {
      hostname,
      source: collection.source,
      accounts: collection.accountCount,
      billable: collection.billableAccounts,
      requests: collection.requests,
    },
    "server collection stored",
  );
  return { kind: "server", key, hostname, records };
}
