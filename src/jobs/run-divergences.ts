import type { CloudCollection } from "../collect/types.js";
import type { RepositoryConfig } from "../config/repository.js";
import type { InstanceFacts } from "../publish/types.js";
import { detectDivergences } from "../reconcile/detect-divergences.js";
import type { Divergence, Report } from "../reconcile/model.js";

export interface RunDivergenceInput {
  report: Report;
  cloud: CloudCollection;
  instances: InstanceFacts[];
  repoConfig: RepositoryConfig;
  now: Date;
}

/** Every divergence of a run, with the repository config's thresholds: seats, sync status, instance counts, licenses. */
export function detectRunDivergences(input: RunDivergenceInput): Divergence[] {
  const { report, cloud, instances, repoConfig, now } = input;
  return detectDivergences({
    report,
    syncStatus: cloud.syncStatus,
    instances,
    cloud: cloud.usage,
    collectedHosts: instances.map((instance) => instance.hostname),
    thresholds: repoConfig.thresholds,
    now,
  });
}
