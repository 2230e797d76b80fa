/**
 * Collect: the GHES and GHEC collectors and usage files, yielding keyed records for the engine.
 * The readers of every input format are their own room: src/collect/readers/index.ts.
 */
export {
  type CloudIdentities,
  collectGhec,
  collectGhecIdentities,
  collectGhecLicenses,
  withIdentities,
} from "./ghec/collect-ghec.js";
export { collectGhes } from "./ghes/collect-ghes.js";
export { assertUsageFileSize, unpackUsageFile, usageFileLimits, type UsageFileLimits } from "./usage-file/limits.js";
export { readUsageFile, usageFileChunks } from "./usage-file/usage-file.js";
