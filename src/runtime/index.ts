/**
 * Runtime: process bootstrap for the web and worker processes (settings, secret files, logger,
 * Redis, HTTP server, shutdown).
 */
export { runProcess } from "./bootstrap.js";
export { startWebProcess } from "./web-process.js";
export { startWorkerProcess } from "./worker-process.js";
