import type { IncomingMessage, Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { noMetrics, silentLog } from "./web-server-stubs.js";
import { createWebServer, type WebhookMiddleware } from "../../../src/runtime/web-server.js";

const PATH = "/api/github/webhooks";
const LIMIT = 1024 * 1024;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A web server whose webhook middleware records the bodies it is handed. */
async function start(): Promise<{ port: number; reached: string[] }> {
  const reached: string[] = [];
  const webhooks: WebhookMiddleware = (request, response) => {
    reached.push(String((request as IncomingMessage & { body?: unknown }).body));
    response.writeHead(200).end("ok\n");
  };
  server = createWebServer({
    webhooks,
    webhookPath: PATH,
    redisReady: async () => true,
    redisConnected: () => true,
    metrics: noMetrics,
    logger: silentLog,
    maxBodyBytes: LIMIT,
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  return { port: (server!.address() as AddressInfo).port, reached };
}

/**
 * Raw HTTP over a socket (so the test controls Content-Length and chunking exactly): sends the
 * head, then `bodyBytes` of body in 64 KB pieces (chunked when `chunked`) until the server answers
 * or the body is sent; resolves with the status line and how much body was written.
 */
function post(
  port: number,
  options: { declaredLength?: number; chunked?: boolean; bodyBytes: number },
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      if (!status) return reject(new Error(`no status line in ${JSON.stringify(answer.slice(0, 80))}`));
      done = true;
      socket.destroy();
      resolve({ status, sent });
    };
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      if (/\r\n\r\n/.test(answer)) finish();
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
    const head = [
      `POST ${PATH} HTTP/1.1`,
      "Host: 127.0.0.1",
      "Content-Type: application/json",
      "X-GitHub-Event: push",
      "X-GitHub-Delivery: d-1",
      "X-Hub-Signature-256: sha256=00",
    ];
    head.push(
      options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${options.declaredLength ?? options.bodyBytes}`,
    );
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
    const piece = Buffer.alloc(64 * 1024, 0x20);
    // The body opens like a JSON object (the server refuses anything else before the middleware).
    const first = Buffer.from(piece);
    first[0] = 0x7b;
    const pump = () => {
      while (!done && sent < options.bodyBytes) {
        const part = (sent === 0 ? first : piece).subarray(0, Math.min(piece.length, options.bodyBytes - sent));
        sent += part.length;
        const ok = socket.write(
          options.chunked
            ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n")])
            : part,
        );
        if (!ok) return void socket.once("drain", pump);
      }
      if (!done && options.chunked && sent >= options.bodyBytes) socket.write("0\r\n\r\n");
    };
    pump();
  });
}

describe("web server: webhook bodies are capped before they are buffered", () => {
  it("answers 413 to a declared length over the cap without reading the body or reaching the handler", async () => {
    const { port, reached } = await start();
    const answer = await post(port, { declaredLength: 30 * 1024 * 1024, bodyBytes: 10 });
    expect(answer.status).toBe(413);
    expect(reached).toEqual([]);
  });

  it("cuts off a chunked body at the cap with 413, and never reaches the handler", async () => {
    const { port, reached } = await start();
    const answer = await post(port, { chunked: true, bodyBytes: 30 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    // The server answered once the cap was passed, long before the 30 MB were written.
    expect(answer.sent).toBeLessThan(30 * 1024 * 1024);
    expect(reached).toEqual([]);
  });

  it("hands a body under the cap to the webhook middleware whole, chunked or not", async () => {
    const { port, reached } = await start();
    expect((await post(port, { bodyBytes: LIMIT })).status).toBe(200);
    expect((await post(port, { chunked: true, bodyBytes: 100_000 })).status).toBe(200);
    expect(reached.map((body) => body.length)).toEqual([LIMIT, 100_000]);
  });
});
