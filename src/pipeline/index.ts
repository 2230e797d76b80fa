/**
 * The pipeline of one run, shared by the worker and `license-sync sync`: preflight checks,
 * the repository config, collect, reconcile, publish.
 */
export { createPipelineDeps, type PipelineDeps } from "./deps.js";
export {
  analyzeRun,
  collectCloud,
  collectCloudIdentities,
  collectServerInstance,
  type Publisher,
  runPipeline,
} from "./pipeline.js";
export { type AdminIdentity, checkAdminRepository, checkRunTokens } from "./preflight.js";
export { type ConfigLocation, readRepositoryConfig } from "./repository-config.js";
export { adminRepositoryUsageFiles } from "./usage-file-opener.js";
