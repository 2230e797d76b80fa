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
export function readBoundedBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        request.off("data", onData);
        chunks.length = 0;
        request.pause();
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("error", reject);
    request.once("end", () => resolve(Buffer.concat(chunks, received)));
    // A sender that hangs up mid-body: let go of what was buffered instead of waiting for an end.
    request.once("close", () => {
      if (!request.complete) reject(new Error("the sender closed the connection before the body ended"));
    });
  });
}
