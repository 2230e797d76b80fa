import type { Octokit } from "@octokit/core";
import { maskEmails } from "../privacy/index.js";
import { ContentsBody } from "./contents-body.js";
import { GRAPHQL_URL } from "./graphql-json.js";

/** Request parameters that GitHub shows to people: issue and comment text, titles, commit messages. */
const TEXT_PARAMETERS = ["body", "title", "message"] as const;

/**
 * An Octokit plugin: every write request (issues, comments, commit comments, replies, committed
 * files) passes the email guard before it leaves, whichever code path built it. The single
 * chokepoint for text the App posts to GitHub: every client of the project (`buildClient`) and
 * Probot's (the webhook handlers') carry it. Committed files (`content`, base64) are decoded,
 * guarded and encoded again, or, sent as a `ContentsBody`, replaced by its guarded copy with its
 * `Content-Length` set again; GraphQL queries and variables are guarded (a mutation's text is
 * there); reads are left alone.
 *
 * @example const GuardedOctokit = Octokit.plugin(emailGuardPlugin);
 */
export function emailGuardPlugin(octokit: Octokit): void {
  octokit.hook.before("request", (options) => {
    if (options.method === "GET" || options.method === "HEAD") return;
    const params = options as Record<string, unknown>;
    for (const name of TEXT_PARAMETERS) {
      const value = params[name];
      if (typeof value === "string") params[name] = maskEmails(value);
    }
    if (GRAPHQL_URL.test(String(options.url))) {
      // A GraphQL mutation carries its text in the query or in variables, at any depth.
      if (typeof params.query === "string") params.query = maskEmails(params.query);
      if (params.variables !== undefined) params.variables = maskedValue(params.variables);
    }
    if (params.data instanceof ContentsBody && !params.data.guarded) {
      const guarded = params.data.guardedBy(maskEmails);
      params.data = guarded;
      options.headers["content-length"] = String(guarded.length);
    }
    if (typeof params.content === "string" && options.method === "PUT" && /\/contents\//.test(String(options.url))) {
      const text = Buffer.from(params.content, "base64").toString("utf8");
      const guarded = maskEmails(text);
      if (guarded !== text) params.content = Buffer.from(guarded, "utf8").toString("base64");
    }
  });
}

/** A JSON value with every string in it guarded (arrays and objects copied, the rest as is). */
function maskedValue(value: unknown): unknown {
  if (typeof value === "string") return maskEmails(value);
  if (Array.isArray(value)) return value.map(maskedValue);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskedValue(inner)]));
  return value;
}
