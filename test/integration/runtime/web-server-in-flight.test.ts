import type { IncomingMessage, Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import { noMetrics, silentLog } from "./web-server-stubs.js";
import { createWebServer, type WebServerOptions } from "../../../src/runtime/web-server.js";

const PATH = "/api/github/webhooks";
const MB = 1024 * 1024;

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start(options: Partial<WebServerOptions>): Promise<{ port: number; reached: number[] }> {
  const reached: number[] = [];
  server = createWebServer({
    webhooks: (request, response) => {
      reached.push(String((request as IncomingMessage & { body?: unknown }).body).length);
      response.writeHead(200).end("ok\n");
    },
    webhookPath: PATH,
    redisReady: async () => true,
    redisConnected: () => true,
    metrics: noMetrics,
    logger: silentLog,
    ...options,
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  return { port: (server!.address() as AddressInfo).port, reached };
}

/**
 * A delivery of `length` bytes (declared), of which all but the last byte are sent at once: the
 * server holds the rest until `finish()` or until it answers. `status` resolves with the answer.
 */
function heldDelivery(port: number, length: number): { status: Promise<number>; finish: () => void } {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  let answer = "";
  const status = new Promise<number>((resolve) => {
    const done = () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0));
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      if (answer.includes("\r\n\r\n")) done();
    });
    socket.on("close", done);
    socket.on("error", done);
  });
  const head = [
    `POST ${PATH} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Content-Type: application/json",
    "X-GitHub-Event: push",
    "X-GitHub-Delivery: d-1",
    "X-Hub-Signature-256: sha256=00",
    `Content-Length: ${length}`,
  ];
  const body = Buffer.alloc(length, 0x20);
  body[0] = 0x7b;
  socket.write(`${head.join("\r\n")}\r\n\r\n`);
  socket.write(body.subarray(0, length - 1));
  return { status, finish: () => void socket.write(body.subarray(length - 1)) };
}

describe("web server: webhook bodies held at once are bounded together, not only one by one", () => {
  it("answers 503 to the delivery that would pass the in-flight budget, keeps the others, and frees the budget as they end", async () => {
    const { port, reached } = await start({ maxBodyBytes: MB, maxInFlightBodyBytes: 2.5 * MB });
    const deliveries = [heldDelivery(port, MB), heldDelivery(port, MB), heldDelivery(port, MB)];
    // Three bodies of 1 MB cannot all be held under 2.5 MB: one is refused while the others wait.
    const refused = await Promise.race(deliveries.map(({ status }, index) => status.then((code) => ({ code, index }))));
    expect(refused.code).toBe(503);
    const kept = deliveries.filter((_, index) => index !== refused.index);
    for (const delivery of kept) delivery.finish();
    expect(await Promise.all(kept.map(({ status }) => status))).toEqual([200, 200]);
    expect(reached).toEqual([MB, MB]);
    // Nothing stays reserved: three more fit one after the other.
    for (let i = 0; i < 3; i++) {
      const next = heldDelivery(port, MB);
      next.finish();
      expect(await next.status).toBe(200);
    }
  });

  it("a body that stops arriving is cut off by the request deadline (408) and frees its share", async () => {
    const { port, reached } = await start({ maxBodyBytes: MB, maxInFlightBodyBytes: 1.5 * MB, requestTimeoutMs: 1000 });
    const stalled = heldDelivery(port, MB);
    expect(await stalled.status).toBe(408);
    const next = heldDelivery(port, MB);
    next.finish();
    expect(await next.status).toBe(200);
    expect(reached).toEqual([MB]);
  });

  it("defaults: GitHub waits 10 s for an answer, so a request may take 30 s to arrive", async () => {
    await start({});
    expect(server!.requestTimeout).toBe(30_000);
    expect(server!.headersTimeout).toBeLessThanOrEqual(30_000);
  });
});
