/**
 * The divergence stage: from the engine's report, the run's facts (sync status, instance
 * licenses, GitHub's rows) and the repository config's thresholds, every divergence as codes
 * and figures. Sentences are publish's (src/publish/divergences).
 */
export { DIVERGENCE_KINDS, detectDivergences } from "./detect.js";
export type { DetectDivergencesInput, InstanceFact, LicenseFact, RunFacts, SyncFact } from "./input.js";
export { countRowsPerHost } from "./instances.js";
export { DEFAULT_DIVERGENCE_THRESHOLDS, type DivergenceThresholds } from "./thresholds.js";
