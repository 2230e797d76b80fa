import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebMetrics } from "./web-metrics.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * `GET /metrics`, answered with `metrics`; with a `token` (`METRICS_TOKEN`), only to
 * `Authorization: Bearer <token>` (compared in constant time), 401 otherwise.
 *
 * @example const serve = metricsEndpoint(metrics, process.env.METRICS_TOKEN); await serve(request, response);
 */
export function metricsEndpoint(
  metrics: WebMetrics,
  token?: string,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const expected = token ? digest(`Bearer ${token}`) : undefined;
  return async (request, response) => {
    if (expected && !timingSafeEqual(digest(String(request.headers.authorization ?? "")), expected)) {
      response.writeHead(401, {
        "content-type": "text/plain; charset=utf-8",
        "www-authenticate": 'Bearer realm="metrics"',
      });
      response.end("unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n");
      return;
    }
    const { contentType, body } = await metrics.render();
    response.writeHead(200, { "content-type": contentType });
    response.end(body);
  };
}
