/**
 * Webhook handlers: the Probot app; each handler parses, authorizes and enqueues or answers.
 */
export { createApp } from "./app.js";
