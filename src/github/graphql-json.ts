import type { Octokit } from "@octokit/core";
import { hostOf } from "./base-url.js";

/**
 * GraphQL requests in plain JSON. Octokit serializes every body and parses every JSON answer with
 * json-with-bigint, which runs a regular expression over the text before and after `JSON.parse`
 * so that integers beyond 2^53 survive as BigInt. Reading the external identities of a 300,000-user
 * enterprise (1,235 GraphQL pages of 100) that cost 3.2 s of the collector's 12.5 s of CPU, on
 * the thread that also reads consumed-licenses pages. GitHub's GraphQL API sends its `BigInt`
 * scalar as a string and its `Int` is 32-bit, so no number in a GraphQL answer needs a BigInt:
 * GraphQL requests go out as `JSON.stringify` text and their answers are read with `JSON.parse`;
 * an answer that is not JSON is an error (Octokit let it through as an empty result).
 * REST calls are left to Octokit (a REST answer may hold such integers).
 */

/** What @octokit/graphql sends in a request body (its other options are not body fields). */
const BODY_FIELDS = ["query", "variables", "operationName"] as const;

/** `/graphql` (api.github.com, GHE.com) or `/api/graphql` (GHES), relative or absolute, with or without a query. */
export const GRAPHQL_URL = /\/graphql(?:[?#]|$)/;

/**
 * An Octokit plugin; register it first, so that it is innermost among the plugins (outside only
 * the auth hook) and every attempt of a retried request goes through it.
 *
 * @example const MyOctokit = Octokit.plugin(graphqlPlainJson, emailGuardPlugin, ...);
 */
export function graphqlPlainJson(octokit: Octokit): void {
  octokit.hook.wrap("request", async (request, options) => {
    if (options.method !== "POST" || !GRAPHQL_URL.test(options.url)) return request(options);
    // The options are changed in place: the hooks inside this one were bound to this very object
    // (Octokit's endpoint merge drops options handed to them as a second argument). The body is
    // built only after the hooks, so the finished text goes in as `data`, once: a retry passes the
    // same object and re-sends the same text.
    if (!("data" in options)) {
      const body: Record<string, unknown> = {};
      for (const field of BODY_FIELDS) if (options[field] !== undefined) body[field] = options[field];
      options.data = JSON.stringify(body);
    }
    // Octokit parses error answers itself (a RequestError carries them); only success bodies come here unread.
    options.request = { ...options.request, parseSuccessResponseBody: false };
    const answer = await request(options);
    const stream = answer.data as ReadableStream<Uint8Array> | null | undefined;
    const text = stream ? await new Response(stream).text() : "";
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // Octokit gave such an answer as text, and @octokit/graphql then resolved to undefined: a
      // proxy's HTML page read as an empty result. Named by host, status and size, never quoted.
      throw new Error(
        `GitHub ${hostOf(answer.url) ?? hostOf(options.url) ?? "API"}: a GraphQL answer (HTTP ${String(answer.status)}, ${Buffer.byteLength(text)} bytes) is not JSON. Check that the configured URL reaches the GitHub API itself, not a proxy or sign-in page.`,
      );
    }
    return { ...answer, data };
  });
}
