import type { Octokit } from "@octokit/core";

/**
 * GraphQL requests in plain JSON. Octokit serializes every body and parses every JSON answer with
 * json-with-bigint, which runs a regular expression over the text before and after `JSON.parse`
 * so that integers beyond 2^53 survive as BigInt. Reading the external identities of a 300,000-user
 * enterprise (1,235 GraphQL pages of 100) that cost 3.2 s of the collector's 12.5 s of CPU, on
 * the thread that also reads consumed-licenses pages. GitHub's GraphQL API sends its `BigInt`
 * scalar as a string and its `Int` is 32-bit, so no number in a GraphQL answer needs a BigInt:
 * GraphQL requests go out as `JSON.stringify` text and their answers are read with `JSON.parse`.
 * REST calls are left to Octokit (a REST answer may hold such integers).
 */

/** `/graphql` (api.github.com, GHE.com) or `/api/graphql` (GHES), relative or absolute. */
const GRAPHQL_URL = /\/graphql$/;

/**
 * An Octokit plugin; register it first, so that it is innermost among the plugins (outside only
 * the auth hook) and every attempt of a retried request goes through it.
 *
 * @example const MyOctokit = Octokit.plugin(graphqlPlainJson, emailGuardPlugin, ...);
 */
export function graphqlPlainJson(octokit: Octokit): void {
  octokit.hook.wrap("request", async (request, options) => {
    if (options.method !== "POST" || !GRAPHQL_URL.test(options.url)) return request(options);
    // Changed in place: the hooks inside this one were bound to this very object, and Octokit's
    // endpoint merge drops options handed to them as a second argument.
    if (typeof options.body === "object" && options.body !== null) options.body = JSON.stringify(options.body);
    // Octokit parses error answers itself (a RequestError carries them); only success bodies come here unread.
    options.request = { ...options.request, parseSuccessResponseBody: false };
    const answer = await request(options);
    const stream = answer.data as ReadableStream<Uint8Array> | null | undefined;
    const text = stream ? await new Response(stream).text() : "";
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // What Octokit gives for an answer that is not JSON: its text (@octokit/graphql then fails on it).
      data = text;
    }
    return { ...answer, data };
  });
}
