import { createHmac, generateKeyPairSync } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Probot, createNodeMiddleware } from "probot";
import { createApp } from "../../../src/handlers/app.js";
import { noMetrics, silentLog } from "./web-server-stubs.js";
import { createWebServer } from "../../../src/runtime/web-server.js";
import { MemoryRunQueue } from "../handlers/support/memory-queue.js";
import { recordingLogger } from "../handlers/support/recording-logger.js";
import { testDeployment } from "../handlers/support/app.js";

const PATH = "/api/github/webhooks";
const WEBHOOK_SECRET = "webhook-secret-of-this-test";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let server: Server;
let url: string;
const queue = new MemoryRunQueue();

beforeAll(async () => {
  const probot = new Probot({ appId: 4242, privateKey, secret: WEBHOOK_SECRET, logLevel: "fatal" });
  const webhooks = await createNodeMiddleware(
    createApp({ queue, deployment: testDeployment(), logger: recordingLogger() }),
    { probot, webhooksPath: PATH },
  );
  server = createWebServer({
    webhooks,
    webhookPath: PATH,
    redisReady: async () => true,
    redisConnected: () => true,
    metrics: noMetrics,
    logger: silentLog,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** POSTs `body` signed with the webhook secret, as GitHub would. */
async function deliver(
  event: string,
  body: string,
  secret = WEBHOOK_SECRET,
): Promise<{ status: number; text: string }> {
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `d-${Math.random()}`,
      "x-hub-signature-256": signature,
    },
  });
  return { status: response.status, text: await response.text() };
}

describe("a correctly signed payload that is not a JSON object", () => {
  it.each([["null"], ["5"], ['"text"'], ["true"], ["[]"], [" \n[1, 2]"]])(
    "%j is answered 400 naming the problem, nothing runs",
    async (body) => {
      for (const event of ["issue_comment", "push", "installation"]) {
        const answer = await deliver(event, body);
        expect(answer).toEqual({ status: 400, text: expect.stringContaining("payload must be a JSON object") });
      }
      expect(queue.enqueued).toEqual([]);
    },
  );

  it("a badly signed one is still refused by the signature check first", async () => {
    expect((await deliver("push", "{}", "not-the-secret")).status).toBe(400);
    expect((await deliver("push", "{}", "not-the-secret")).text).toContain("signature does not match");
  });
});
