/**
 * GitHub clients: Octokit for GHEC, GHES and the App, with throttling, retry, pagination,
 * deadlines, request logs and the email guard; token scope checks; repository file reads.
 */
export { normalizeBaseUrl } from "./base-url.js";
export { buildClient, type GitHubClient } from "./client.js";
export { settleAll } from "./concurrency.js";
export { ContentsBody, maskedFile, type ContentsWrite } from "./contents-body.js";
export {
  deadlineFetch,
  deadlinesOf,
  DEFAULT_REPORT_DEADLINES,
  type RequestDeadlines,
  TIMEOUT_KEYS,
} from "./deadlines.js";
export { emailGuardPlugin } from "./email-guard-plugin.js";
export { createGhecClient } from "./ghec-client.js";
export { createGhesClient } from "./ghes-client.js";
export { graphqlErrorTypes, httpStatusOf } from "./http-errors.js";
export { DEFAULT_RATE_LIMIT_POLICY, isRateLimited, rateLimitHandlers, type RateLimitPolicy } from "./rate-limits.js";
export { putContents, type ContentsTarget, type ContentsWriter } from "./put-contents.js";
export { repositoryEntry, type Requester } from "./repository-file.js";
export { RequestMeter } from "./request-meter.js";
export { checkTokenScopes, type ScopeCheck, type TokenToCheck } from "./token-scopes.js";
export { nameUnreachable } from "./unreachable.js";
