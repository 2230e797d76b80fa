import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { WebMetrics } from "../metrics/index.js";
import type { Log } from "../shared/index.js";
import {
  BodyBudget,
  BodyBudgetExhaustedError,
  BodyIncompleteError,
  BodyTooLargeError,
  declaresTooLarge,
  MAX_IN_FLIGHT_BODY_BYTES,
  MAX_WEBHOOK_BODY_BYTES,
  readBoundedBody,
} from "./webhook-body.js";

/** Probot's node middleware (`createNodeMiddleware`): answers its path, calls `next` otherwise. */
export type WebhookMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: Error) => void,
) => unknown;

export interface WebServerOptions {
  webhooks: WebhookMiddleware;
  /** Probot's webhook path (`/api/github/webhooks`). */
  webhookPath: string;
  /** Whether Redis answers (PING), bounded in time. */
  redisReady: () => Promise<boolean>;
  /** Whether the producer connection is connected right now (no round trip). */
  redisConnected: () => boolean;
  metrics: WebMetrics;
  /** Answers `GET /metrics` here; left out when metrics have their own port (`METRICS_PORT`): 404. */
  serveMetrics?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  logger: Log;
  /** Largest webhook body read (default 25 MB, GitHub's own cap); larger ones get 413 unread. */
  maxBodyBytes?: number;
  /** Body bytes all webhook requests in flight may hold together (default 100 MB); the request that would pass it gets 503. */
  maxInFlightBodyBytes?: number;
  /** Longest a request may take to arrive, headers and body (default 30 s; GitHub waits 10 s for an answer); then 408 and the connection is closed. */
  requestTimeoutMs?: number;
}

/** Default `requestTimeoutMs`. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Decodes as Probot's middleware would have (UTF-8, BOM dropped, bad bytes replaced), so the signature check sees the same text. */
const utf8 = new TextDecoder("utf-8", { fatal: false });

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(body);
}

/**
 * The web process's HTTP server: Probot's webhooks plus the probes.
 * - `/healthz`: the process is up (liveness; never touches Redis).
 * - `/readyz`: Redis answers PING (readiness: take this instance out of rotation otherwise).
 * - `/metrics`: Prometheus text, unless served on a port of its own.
 * - webhooks while Redis is away: 503 before Probot runs any handler, so nothing half-happens
 *   and GitHub's delivery shows as failed and can be redelivered.
 * - webhook bodies over `maxBodyBytes`: 413 before they are buffered (a declared length is
 *   refused unread; a chunked body is counted as it streams and cut off at the cap).
 * - webhook bodies that are not a JSON object: 400 before Probot sees them.
 * - bodies of all webhook requests in flight together over `maxInFlightBodyBytes`: 503 to the
 *   request that would pass it; every request must arrive within `requestTimeoutMs` (else 408).
 *
 * @example createWebServer({ webhooks, webhookPath: "/api/github/webhooks", redisReady, redisConnected, metrics, logger }).listen(3000)
 */
export function createWebServer(options: WebServerOptions): Server {
  const { webhooks, webhookPath, metrics, logger } = options;
  const budget = new BodyBudget(options.maxInFlightBodyBytes ?? MAX_IN_FLIGHT_BODY_BYTES);
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // Node checks the deadlines every `connectionsCheckingInterval`; a quarter keeps the overrun small.
  const timeouts = {
    requestTimeout,
    headersTimeout: Math.min(requestTimeout, 20_000),
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, requestTimeout / 4)),
  };
  return createServer(timeouts, (request, response) => {
    const path = (request.url ?? "/").split("?")[0]?.replace(/\/+$/, "") || "/";
    const handle = async () => {
      if (request.method === "GET" && path === "/healthz") return send(response, 200, "ok\n");
      if (request.method === "GET" && path === "/readyz") {
        const ready = await options.redisReady();
        return send(response, ready ? 200 : 503, ready ? "ready\n" : "redis unavailable\n");
      }
      if (request.method === "GET" && path === "/metrics" && options.serveMetrics)
        return options.serveMetrics(request, response);
      if (path === webhookPath) {
        const event = String(request.headers["x-github-event"] ?? "unknown");
        response.once("finish", () => metrics.countWebhook(event, response.statusCode));
        if (request.method === "POST" && !options.redisConnected()) {
          logger.warn(
            { event, deliveryId: request.headers["x-github-delivery"] },
            "webhook refused: Redis is unavailable",
          );
          request.resume();
          return send(
            response,
            503,
            JSON.stringify({ error: "Service unavailable: the run queue cannot be reached. Redeliver later." }),
            { "content-type": "application/json", "retry-after": "30" },
          );
        }
        if (
          request.method === "POST" &&
          !(await readWebhookBody(request, response, options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES, budget, logger))
        )
          return;
      }
      await webhooks(request, response, () => send(response, 404, "not found\n"));
    };
    handle().catch((error: unknown) => {
      logger.error({ err: String(error), path }, "request failed");
      if (!response.headersSent) send(response, 500, "internal error\n");
      else response.end();
    });
  });
}

/**
 * Reads the webhook body under the cap and hands it to Probot's middleware as `request.body`
 * (which it then verifies and parses instead of reading the stream whole). Over the cap: 413,
 * the connection is closed rather than drained, and false is returned.
 */
async function readWebhookBody(
  request: IncomingMessage,
  response: ServerResponse,
  limitBytes: number,
  budget: BodyBudget,
  logger: Log,
): Promise<boolean> {
  const share = budget.share();
  // Held until the answer is sent or the connection is gone: Probot keeps the body while it works.
  response.once("close", share.release);
  const refuse = (status: number, error: string, headers: Record<string, string> = {}) => {
    response.once("finish", () => request.destroy());
    send(response, status, JSON.stringify({ error }), {
      "content-type": "application/json",
      connection: "close",
      ...headers,
    });
    return false;
  };
  let body: string;
  try {
    if (declaresTooLarge(request, limitBytes)) throw new BodyTooLargeError(limitBytes);
    body = utf8.decode(await readBoundedBody(request, limitBytes, share));
  } catch (error) {
    const deliveryId = request.headers["x-github-delivery"];
    if (error instanceof BodyTooLargeError) {
      logger.warn({ deliveryId, limitBytes }, "webhook refused: body over the size cap");
      return refuse(413, `Payload too large: webhook bodies are capped at ${limitBytes} bytes.`);
    }
    if (error instanceof BodyBudgetExhaustedError) {
      logger.warn(
        { deliveryId, limitBytes: error.limitBytes },
        "webhook refused: the bodies being received hold the in-flight budget",
      );
      return refuse(503, "Service unavailable: too many webhook bodies are being received at once. Redeliver later.", {
        "retry-after": "30",
      });
    }
    if (error instanceof BodyIncompleteError) {
      logger.warn({ deliveryId }, "webhook body not received in full (client gone or request deadline passed)");
      return false;
    }
    throw error;
  }
  // Every GitHub payload is an object. Anything else (`null`, a number, an array) would reach
  // @octokit/webhooks, which fails on it with a TypeError after the signature check: a 500.
  if (!/^[ \t\n\r]*\{/.test(body)) {
    send(response, 400, JSON.stringify({ error: "Bad request: the webhook payload must be a JSON object." }), {
      "content-type": "application/json",
    });
    return false;
  }
  (request as IncomingMessage & { body?: string }).body = body;
  return true;
}
