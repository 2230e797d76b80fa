import type { Octokit } from "@octokit/core";
import { maskEmails } from "../privacy/index.js";

/** Request parameters that GitHub shows to people: issue and comment text, titles, commit messages. */
const TEXT_PARAMETERS = ["body", "title", "message"] as const;

/**
 * An Octokit plugin: every write request (issues, comments, commit comments, replies, committed
 * files) passes the email guard before it leaves, whichever code path built it. The single
 * chokepoint for text the App posts to GitHub: every client of the project (`buildClient`) and
 * Probot's (the webhook handlers') carry it. Committed files (`content`, base64) are decoded,
 * guarded and encoded again; reads are left alone.
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
    if (typeof params.content === "string" && options.method === "PUT" && /\/contents\//.test(String(options.url))) {
      const text = Buffer.from(params.content, "base64").toString("utf8");
      const guarded = maskEmails(text);
      if (guarded !== text) params.content = Buffer.from(guarded, "utf8").toString("base64");
    }
  });
}
