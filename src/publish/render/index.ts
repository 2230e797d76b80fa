/**
 * Renderers of a report (table, CSV, JSON) for the command line and for publish. Their own face
 * so that `license-sync report` loads no Octokit.
 */
export { renderCsv } from "./report-csv.js";
export { renderJsonChunks, toReportJson } from "./report-json.js";
export { renderTable } from "./report-table.js";
