import { existsSync } from "node:fs";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { InputError, type ServerAccount } from "../../shared/index.js";
import type { AccountLines, FromThread, ThreadError, ThreadInput, ToThread } from "./ghes-csv-thread-protocol.js";
import { RepeatedValues } from "./repeated-values.js";

/** Accounts per batch posted back: big enough that messages are few, small enough for steady progress. */
const BATCH_SIZE = 1000;
/** Batches the parent may hold unconsumed before it stops feeding the worker more bytes. */
const MAX_QUEUED_BATCHES = 16;

/**
 * The worker's script, compiled next to this module. Run from TypeScript sources (a test runner),
 * this module has no compiled neighbour: the build's copy in dist/ is used (`npm run build`).
 */
function workerScript(): URL {
  const here = new URL("./ghes-csv-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace(/\/src\/collect\/readers\//, "/dist/collect/readers/"));
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`the GHES report parser thread (${fileURLToPath(here)}) is not built: run npm run build`);
}

function errorOfThread(error: ThreadError, source: string): Error {
  return error.kind === "input"
    ? new InputError(error.source, error.where, error.problem, error.fix)
    : new Error(`${source}: the GHES report parser thread failed: ${error.message}`);
}

const encoder = new TextEncoder();

/**
 * A chunk of the input as bytes the thread may own: a copy of exactly a byte chunk's bytes, to be
 * moved rather than cloned (a Buffer may view a larger pool, which must not be detached), or a
 * text chunk (a stream of strings, as `readAllUsersCsv` also reads) encoded as UTF-8. Anything
 * else is refused: `new Uint8Array(text)` would have read a string as zero bytes and lost it.
 */
function ownBytes(chunk: unknown, source: string): Uint8Array<ArrayBuffer> {
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice();
  throw new TypeError(`${source}: the GHES report stream gave a chunk that is neither bytes nor text`);
}

export interface ReadInThreadOptions {
  /** Instance hostname as GitHub writes it in `enterprise_server_user_ids`. */
  hostname: string;
  /** Name for error messages (file path or URL). */
  source: string;
  /** LICENSE_SYNC_SECRET: the worker keys emails with it, as `createEmailProtector({ secret })` does. */
  secret: string;
}

/**
 * `readAllUsersCsv` in a worker thread: the report's bytes are streamed into the thread as they
 * arrive, parsed, validated and keyed there, and come back as batches of JSON lines of
 * `ServerAccount`s, so a million-account report costs the calling thread almost nothing (the
 * GHEC pages it fetches at the same time do not stall). Errors are those of `readAllUsersCsv`:
 * an `InputError` naming file, line and column, or the input stream's own error. Bounded like
 * `readAllUsersCsv`, and pull-driven: the thread holds one chunk ahead of its parser, and the
 * caller at most 16 batches ahead of its consumer.
 *
 * @example
 *   for await (const batch of readAllUsersCsvInThread(csv, { hostname, source, secret })) store.addLines("a", batch.lines);
 */
export async function* readAllUsersCsvInThread(
  input: Readable,
  options: ReadInThreadOptions,
): AsyncGenerator<AccountLines> {
  const workerData: ThreadInput = { ...options, batchSize: BATCH_SIZE };
  const worker = new Worker(workerScript(), { workerData });
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const queued: AccountLines[] = [];
  let pulls = 0;
  let pumping = false;
  let ended = false;
  let done = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const send = (message: ToThread, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer);
  // Answers the worker's pulls one chunk at a time while the caller keeps up.
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (pulls > 0 && !ended && queued.length < MAX_QUEUED_BATCHES && !failure) {
        pulls--;
        const next = await chunks.next();
        if (next.done) {
          ended = true;
          send({ type: "end" });
        } else {
          const chunk = ownBytes(next.value, options.source);
          send({ type: "chunk", chunk }, [chunk.buffer]);
        }
      }
    } catch (error) {
      failure ??= { error };
      notify();
    } finally {
      pumping = false;
    }
  };
  // Listened to from the start: the stream may fail (a deadline) before the worker first asks for bytes.
  input.on("error", (error) => {
    failure ??= { error };
    notify();
  });
  worker.on("message", (message: FromThread) => {
    if (message.type === "pull") {
      pulls++;
      void pump();
    } else if (message.type === "accounts") queued.push(message.batch);
    else if (message.type === "done") done = true;
    else failure ??= { error: errorOfThread(message.error, options.source) };
    notify();
  });
  worker.on("error", (error) => {
    failure ??= { error: new Error(`${options.source}: the GHES report parser thread failed: ${error.message}`) };
    notify();
  });
  worker.on("exit", (code) => {
    if (!done)
      failure ??= { error: new Error(`${options.source}: the GHES report parser thread stopped (exit code ${code})`) };
    notify();
  });
  try {
    for (;;) {
      const batch = queued.shift();
      if (batch) {
        yield batch;
        void pump();
        continue;
      }
      if (failure) throw failure.error;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // Stops reading the response when the accounts stop being consumed (error or early exit).
    input.destroy();
    await worker.terminate();
  }
}

/**
 * The accounts of batches from `readAllUsersCsvInThread`, decoded one line at a time, sharing
 * their masked emails and domains as accounts read on this thread do (`RepeatedValues`): a
 * server person keeps its account's email for the whole reconciliation.
 *
 * @example for (const account of accountsOfLines(batches)) run.addServerAccount(account);
 */
export function* accountsOfLines(batches: Iterable<AccountLines>): Generator<ServerAccount> {
  const shared = new RepeatedValues();
  for (const { lines } of batches) {
    let start = 0;
    for (let end = lines.indexOf("\n"); end >= 0; start = end + 1, end = lines.indexOf("\n", start))
      yield shared.account(JSON.parse(lines.slice(start, end)) as ServerAccount);
  }
}
