import type { IncomingMessage } from "node:http";

/** GitHub caps webhook payloads at 25 MB and does not deliver larger ones, so nothing larger is a real delivery. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

/** The body is larger than the cap: answer 413 and stop reading. */
export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes (GitHub caps webhook payloads at 25 MB)`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * How many body bytes all webhook requests in flight may hold together: one request is capped at
 * 25 MB, but forty that send all but their last byte would hold a gigabyte until they time out.
 * Four of GitHub's largest payloads at once is more than GitHub ever sends one App.
 */
export const MAX_IN_FLIGHT_BODY_BYTES = 4 * MAX_WEBHOOK_BODY_BYTES;

/** The bodies in flight already hold the whole budget: answer 503 and stop reading. */
export class BodyBudgetExhaustedError extends Error {
  readonly status = 503;
  constructor(readonly limitBytes: number) {
    super(`webhook bodies being received already hold ${limitBytes} bytes`);
    this.name = "BodyBudgetExhaustedError";
  }
}

/**
 * Body bytes held by the requests in flight, against one budget shared by the server. Each request
 * takes its bytes as they arrive (`take`) and gives them back when its response closes.
 *
 * @example
 *   const budget = new BodyBudget(MAX_IN_FLIGHT_BODY_BYTES);
 *   const share = budget.share();
 *   response.once("close", share.release);
 *   await readBoundedBody(request, MAX_WEBHOOK_BODY_BYTES, share);
 */
export class BodyBudget {
  private used = 0;
  constructor(readonly limitBytes: number) {}

  /** One request's share: what it took is given back once, by `release`. */
  share(): BodyShare {
    let taken = 0;
    return {
      take: (bytes) => {
        if (this.used + bytes > this.limitBytes) throw new BodyBudgetExhaustedError(this.limitBytes);
        this.used += bytes;
        taken += bytes;
      },
      release: () => {
        this.used -= taken;
        taken = 0;
      },
    };
  }
}

/** What one request holds of a `BodyBudget`. */
export interface BodyShare {
  /** Takes `bytes` more, or throws `BodyBudgetExhaustedError` when they do not fit. */
  take(bytes: number): void;
  /** Gives back everything taken. */
  release(): void;
}

/** The client went away before the whole body arrived (or the server's request deadline cut it off). */
export class BodyIncompleteError extends Error {
  constructor() {
    super("the request body did not arrive in full");
    this.name = "BodyIncompleteError";
  }
}

/** True when the declared `Content-Length` alone is over the cap (checked before any byte is read). */
export function declaresTooLarge(request: IncomingMessage, limitBytes: number): boolean {
  const declared = Number(request.headers["content-length"]);
  return Number.isFinite(declared) && declared > limitBytes;
}

/**
 * Reads a request body, counting bytes as they arrive (a chunked body declares no length), and
 * rejects with `BodyTooLargeError` as soon as the count passes `limitBytes`: at most the cap is
 * ever held, however much the sender streams.
 *
 * @example
 *   const body = await readBoundedBody(request, MAX_WEBHOOK_BODY_BYTES);
 */
export function readBoundedBody(request: IncomingMessage, limitBytes: number, share?: BodyShare): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (error: Error) => {
      request.off("data", onData);
      chunks.length = 0;
      request.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) return stop(new BodyTooLargeError(limitBytes));
      try {
        share?.take(chunk.length);
      } catch (error) {
        return stop(error as Error);
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("error", () => stop(new BodyIncompleteError()));
    request.once("close", () => {
      if (!request.complete) stop(new BodyIncompleteError());
    });
    request.once("end", () => resolve(Buffer.concat(chunks, received)));
  });
}
