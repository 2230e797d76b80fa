// Worker entry of `license-sync report` (see commands/report.ts): runs the report under the heap
// budget its parent gave it and posts back the exit code, or the message of a bad-input error.
import { parentPort, workerData } from "node:worker_threads";
import { isInputError } from "../../shared/index.js";
import { runReport } from "./report-run.js";

try {
  parentPort!.postMessage({ code: await runReport(workerData as string[]) });
} catch (error) {
  if (!isInputError(error)) throw error;
  parentPort!.postMessage({ code: 2, message: error.message });
}
