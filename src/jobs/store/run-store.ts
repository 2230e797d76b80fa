import { once } from "node:events";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import { UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";

/** Characters of JSON lines handed to the compressor at once. */
const BATCH_CHARS = 64 * 1024;

/** Streams tagged records into Redis; `add` never blocks, so a collector's sync callback can feed it. */
export interface RecordWriter {
  add(tag: string, value: unknown): void;
  /** Adds `count` records given as JSON lines (one value per line, each ending in `\n`), under one tag. */
  addLines(tag: string, lines: string, count: number): void;
  /**
   * Resolves once the compressor has taken what was added so far. A writer fed from a collection
   * already in memory awaits it now and then, so the JSON of every record is not queued at once
   * beside the records themselves.
   */
  drained(): Promise<void>;
  /** Characters of JSON added but not yet taken by the compressor. */
  queuedBytes(): number;
  /**
   * Stops a writer whose collection failed: nothing more reaches Redis (what did keeps its TTL,
   * and a retry's writer starts the key over), so a late chunk cannot land behind a retry's DEL.
   */
  discard(): void;
  /** Flushes, stores `meta` and sets the TTL; resolves once everything is in Redis. */
  close(meta: unknown): Promise<{ records: number; chunks: number; bytes: number }>;
}

export interface RunStoreOptions {
  /** Lifetime of stored data; a run must be reconciled within it (default one day). */
  ttlSeconds?: number;
  /** Compressed bytes per Redis list element (default 256 KiB). */
  chunkBytes?: number;
}

/**
 * Run-scoped storage for collections between the collect jobs and the reconcile job: job data
 * and results stay small and email-free, while a million hashed accounts live here as gzip'd
 * JSON lines split over a Redis list, with a TTL so nothing outlives a run for long.
 *
 * Layout of `key`: `key:meta` (JSON string) and `key:chunks` (list of gzip fragments of one
 * stream of lines `[tag, value]`).
 *
 * @example
 *   const store = new RunStore(redis);
 *   const writer = store.writer("ls:run:r1:server-0");
 *   writer.add("a", account);
 *   await writer.close({ hostname: "ghes-a" });
 *   for await (const [tag, value] of store.records("ls:run:r1:server-0")) ...
 */
export class RunStore {
  private readonly ttlSeconds: number;
  private readonly chunkBytes: number;

  constructor(
    private readonly redis: Redis,
    options: RunStoreOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 24 * 3600;
    this.chunkBytes = options.chunkBytes ?? 256 * 1024;
  }

  writer(key: string): RecordWriter {
    const { redis, ttlSeconds, chunkBytes } = this;
    const chunksKey = `${key}:chunks`;
    const gzip = createGzip();
    const writes: Array<Promise<unknown>> = [];
    let failure: unknown;
    // Writes are not awaited one by one (`add` is synchronous); the first failure is kept and
    // thrown by `close`, and no rejection is ever left unhandled when a collector fails midway.
    const track = (write: Promise<unknown>) => writes.push(write.catch((error: unknown) => (failure ??= error)));
    // A retried job writes the same key again: start from nothing. Commands on one connection
    // run in order, so every RPUSH below lands after this DEL.
    track(redis.del(chunksKey, `${key}:meta`));
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let records = 0;
    let chunks = 0;
    let bytes = 0;
    let discarded = false;
    const flush = () => {
      if (pendingBytes === 0 || discarded) return;
      const chunk = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      chunks++;
      bytes += chunk.length;
      track(redis.rpush(chunksKey, chunk));
      // A writer fed while its collection runs holds chunks long before `close`: they expire even
      // if the job dies first.
      if (chunks === 1) track(redis.expire(chunksKey, ttlSeconds));
    };
    gzip.on("data", (data: Buffer) => {
      pending.push(data);
      pendingBytes += data.length;
      if (pendingBytes >= chunkBytes) flush();
    });
    // JSON lines are gathered into batches before the compressor takes them: one write per record
    // would cost one thread-pool round trip per record (423,000 of them for a 300,000-row cloud
    // collection: 13 s of mostly idle waiting, against well under 1 s batched).
    let batch: string[] = [];
    let batchChars = 0;
    let lastWrite: Promise<void> = Promise.resolve();
    const push = (text: string) => {
      if (discarded) return;
      batch.push(text);
      batchChars += text.length;
      if (batchChars >= BATCH_CHARS) write();
    };
    const write = () => {
      if (batchChars === 0) return;
      const text = batch.join("");
      batch = [];
      batchChars = 0;
      lastWrite = new Promise((resolve) => gzip.write(text, () => resolve()));
    };
    return {
      add(tag, value) {
        records++;
        push(`${JSON.stringify([tag, value])}\n`);
      },
      addLines(tag, lines, count) {
        if (count === 0) return;
        records += count;
        // Each `value\n` becomes `[tag,value]\n`, the same line `add` writes, in one pass over the batch.
        const open = `[${JSON.stringify(tag)},`;
        push(`${open}${lines.slice(0, -1).replaceAll("\n", `]\n${open}`)}]\n`);
      },
      async drained() {
        write();
        // Writes complete in order: once the last one's callback ran, the queue is empty.
        await lastWrite;
      },
      queuedBytes: () => batchChars + gzip.writableLength,
      discard() {
        discarded = true;
        batch = [];
        batchChars = 0;
        gzip.destroy();
      },
      async close(meta) {
        write();
        const ended = once(gzip, "end");
        gzip.end();
        await ended;
        flush();
        await Promise.all(writes);
        if (failure !== undefined) throw failure;
        // Meta last: a reader that finds it finds every chunk.
        const results = await redis
          .multi()
          .expire(chunksKey, ttlSeconds)
          .set(`${key}:meta`, JSON.stringify(meta), "EX", ttlSeconds)
          .exec();
        const error = results?.find(([err]) => err)?.[0];
        if (!results || error) throw error ?? new Error(`storing ${key} was aborted`);
        return { records, chunks, bytes };
      },
    };
  }

  /** The meta object stored by `close`; an UnrecoverableError when it expired or never existed. */
  async meta<T>(key: string): Promise<T> {
    const text = await this.redis.get(`${key}:meta`);
    if (text === null)
      throw new UnrecoverableError(
        `stored collection ${key} is gone (expired after ${this.ttlSeconds} s?): start a new run`,
      );
    return JSON.parse(text) as T;
  }

  /** Every record, in write order, streamed: a few chunks in memory at a time. */
  async *records(key: string): AsyncGenerator<[string, unknown]> {
    const chunksKey = `${key}:chunks`;
    const redis = this.redis;
    async function* fragments(): AsyncGenerator<Buffer> {
      for (let start = 0; ; start += 8) {
        const batch = await redis.lrangeBuffer(chunksKey, start, start + 7);
        yield* batch;
        if (batch.length < 8) return;
      }
    }
    const lines = createInterface({ input: Readable.from(fragments()).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line) yield JSON.parse(line) as [string, unknown];
    }
  }

  /** Deletes every key under `prefix` (a run's data once it is published). */
  async deleteUnder(prefix: string): Promise<number> {
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 200);
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
    } while (cursor !== "0");
    return deleted;
  }
}
