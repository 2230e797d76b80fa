/**
 * Messages between `readAllUsersCsvInThread` and its worker thread (ghes-csv-worker.ts). Nothing
 * here carries a clear email out of the worker: accounts leave keyed and masked.
 */

/** A batch of accounts read by the worker thread. */
export interface AccountLines {
  /** One `ServerAccount` as JSON per line, each line ending in `\n`. */
  lines: string;
  /** Accounts in `lines`. */
  count: number;
  /** Of them, accounts that consume a seat (licensable and not suspended). */
  billable: number;
}

/** What the worker thread starts with. */
export interface ThreadInput {
  hostname: string;
  /** Name for error messages. */
  source: string;
  /** LICENSE_SYNC_SECRET, to key emails as the parent's protector does. */
  secret: string;
  /** Accounts per posted batch. */
  batchSize: number;
}

/** Parent to worker: the report's bytes, then its end. */
export type ToThread = { type: "chunk"; chunk: Uint8Array } | { type: "end" };

/** An error of the worker, as it crosses the thread boundary. */
export type ThreadError =
  { kind: "input"; source: string; where: string; problem: string; fix: string } | { kind: "other"; message: string };

/** Worker to parent. */
export type FromThread =
  | { type: "pull" }
  | { type: "accounts"; batch: AccountLines }
  | { type: "done" }
  | { type: "error"; error: ThreadError };
