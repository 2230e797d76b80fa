// Worker-thread entry of `readAllUsersCsvInThread` (ghes-csv-thread.ts): parses, validates and
// keys one all_users.csv (readAllUsersCsvBatches) whose bytes the parent thread posts in as they
// arrive, and posts the accounts back as JSON lines in batches. Clear emails stay inside this
// thread: they are keyed here, and only keys and masked forms leave. Nothing here logs.
import { Readable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import { createEmailProtector } from "../../privacy/index.js";
import { isInputError } from "../../shared/index.js";
import { readAllUsersCsvBatches } from "./ghes-csv.js";
import type { FromThread, ThreadInput, ToThread } from "./ghes-csv-thread-protocol.js";
import { lowerThreadPriority, PARSER_THREAD_NICENESS } from "./thread-priority.js";

// The parser yields the CPU to the thread that fetches GHEC pages and stores accounts (see
// PARSER_THREAD_NICENESS); where the system does not allow it, it runs as before.
lowerThreadPriority(PARSER_THREAD_NICENESS);

const port = parentPort!;
const { hostname, source, secret, batchSize } = workerData as ThreadInput;
const post = (message: FromThread) => port.postMessage(message);

// Pull-driven: the parser asks for bytes (`read`), the parent answers with one chunk, so no more
// of the report is buffered here than the parser's own high-water mark.
const input = new Readable({ read: () => post({ type: "pull" }) });
port.on("message", (message: ToThread) => {
  if (message.type === "chunk") input.push(message.chunk);
  else input.push(null);
});

let lines = "";
let count = 0;
let billable = 0;
const flush = () => {
  if (count === 0) return;
  post({ type: "accounts", batch: { lines, count, billable } });
  lines = "";
  count = 0;
  billable = 0;
};
try {
  const protector = createEmailProtector({ secret });
  for await (const accounts of readAllUsersCsvBatches(input, { hostname, source, protector })) {
    for (const account of accounts) {
      lines += `${JSON.stringify(account)}\n`;
      count++;
      if (account.licensable && !account.suspended) billable++;
      if (count === batchSize) flush();
    }
  }
  flush();
  post({ type: "done" });
} catch (error) {
  // Input errors name file, line and column and never a value; anything else is a bug, passed on by message.
  post({
    type: "error",
    error: isInputError(error)
      ? { kind: "input", source: error.source, where: error.where, problem: error.problem, fix: error.fix }
      : { kind: "other", message: error instanceof Error ? error.message : String(error) },
  });
}
