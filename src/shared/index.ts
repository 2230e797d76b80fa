/**
 * Shared by every step: the report model (records in, report out), a run's record, collection
 * shapes, the `Log` type, the clock, input errors, email normalization and the text primitives
 * that render data as inert Markdown or printable text. Imports nothing else of src/.
 */
export { type Clock, systemClock } from "./clock.js";
export type {
  CloudCollection,
  CloudProgress,
  ConsumedLicensesResult,
  IdentitiesResult,
  ServerCollection,
  ServerLicense,
  ServerProgress,
  ServerStats,
  SyncStatus,
} from "./collection.js";
export { emailDomain, handleToken, normalizeEmail } from "./email.js";
export { errorCode, InputError, isInputError, unopenedFileError } from "./errors.js";
export type { Log } from "./log.js";
export { cell, type CellValue, code, codeSpan, details, inlineProse, mdTable, tableRow, trusted } from "./markdown.js";
export { knownKeysAt, nearestKey } from "./nearest-key.js";
export { printable, printableCell } from "./printable.js";
export {
  type CloudLicense,
  type CloudUsage,
  type Divergence,
  type DivergenceKind,
  type ExternalIdentity,
  MATCH_RULES,
  type MatchedPerson,
  type MatchRule,
  type ProtectedEmail,
  type ReconcileInput,
  type Report,
  type ServerAccount,
  type ServerOnlyPerson,
  type ServerSummary,
  type Totals,
  UNMERGED_REASONS,
  type UnmergedReason,
} from "./report.js";
export type { InstanceFacts, RunRecord, RunTrigger } from "./run.js";
