import { requestId } from "./respond.js";
import type { Reply } from "./types.js";

/** 502 arrives as an HTML page from GitHub's edge, 503 as JSON: clients must survive both. */
export function serverErrorReply(status: 502 | 503): Reply {
  if (status === 502) {
    return {
      status,
      headers: { "content-type": "text/html; charset=utf-8" },
      text: "<html><body><h1>502 Bad Gateway</h1></body></html>\n",
    };
  }
  return { status, body: { message: "Service Unavailable", documentation_url: "https://docs.github.com/rest" } };
}

/** GitHub's secondary rate limit: `retry-after` and a message naming it (what Octokit's throttling plugin looks for). */
export function secondaryLimitReply(status: 403 | 429, seq: number): Reply {
  return {
    status,
    headers: { "retry-after": "1" },
    body: {
      message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId(seq)}.`,
      documentation_url:
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    },
  };
}

/** GitHub's primary rate limit answer; the caller adds `x-ratelimit-remaining: 0`. */
export function primaryLimitReply(seq: number): Reply {
  return {
    status: 403,
    body: {
      message: `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID ${requestId(seq)}.`,
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
    },
  };
}

/** A rate limit without GitHub's wording: 403, `x-ratelimit-remaining: 0` and `retry-after` only (a GHES behind a proxy). */
export function bareRateLimitReply(retryAfterSeconds: number): Reply {
  return {
    status: 403,
    headers: { "retry-after": String(retryAfterSeconds), "x-ratelimit-remaining": "0" },
    body: { message: "API rate limit exceeded", documentation_url: "https://docs.github.com/rest" },
  };
}
