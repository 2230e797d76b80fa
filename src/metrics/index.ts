/**
 * Metrics: Prometheus metrics of runs (seats, divergences, last success) and of the web process.
 */
export { RedisMetricStore } from "./metric-store.js";
export { metricsEndpoint } from "./metrics-endpoint.js";
export { redisRunMetrics, type RunMetrics } from "./run-metrics.js";
export { createWebMetrics, type WebMetrics } from "./web-metrics.js";
