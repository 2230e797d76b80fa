import type { Log } from "../../../src/shared/log.js";
import type { WebMetrics } from "../../../src/metrics/web-metrics.js";

/** A logger that drops every line: these tests read answers, not logs. */
export const silentLog = {
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
  debug: () => undefined,
} as unknown as Log;

/** Web metrics that count nothing: the server's own behaviour is under test, not /metrics. */
export const noMetrics: WebMetrics = {
  countWebhook: () => undefined,
  render: async () => ({ contentType: "text/plain", body: "" }),
};
