/**
 * The readers of every input format (all_users.csv, consumed licenses, identities), streaming
 * and bounded. Their own face so that `license-sync report` and its worker thread load no Octokit.
 */
export { type ConsumedLicensesFile, readConsumedLicenses } from "./consumed-licenses.js";
export { accountsOfLines } from "./ghes-csv-thread.js";
export type { AccountLines } from "./ghes-csv-thread-protocol.js";
export { readAllUsersCsvBatches } from "./ghes-csv.js";
export { readExternalIdentitiesJson } from "./identities-json.js";
export { RepeatedValues } from "./repeated-values.js";
export { issuePath } from "./zod-issue.js";
