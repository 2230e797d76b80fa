import type { Octokit } from "@octokit/core";
import { maskEmails } from "../privacy/index.js";
import { ContentsBody } from "./contents-body.js";
import { GRAPHQL_URL } from "./graphql-json.js";

/** Request parameters that GitHub shows to people: issue and comment text, titles, commit messages. */
const TEXT_PARAMETERS = ["body", "title", "message"] as const;
/** A contents API path: its `content` is a committed file, base64. */
const CONTENTS_URL = /\/contents\//;

/**
 * Bodies this guard made: sent as they are, also when a request is retried or redirected. Kept
 * here, not as a flag on the body, so no other code can mark a body as masked.
 */
const guardedBodies = new WeakSet<ContentsBody>();

/**
 * An Octokit plugin: every write request (issues, comments, commit comments, replies, committed
 * files) passes the email guard before it leaves, whichever code path built it. The single
 * chokepoint for text the App posts to GitHub: every client of the project (`buildClient`) and
 * Probot's (the webhook handlers') carry it. Committed files (`content`, base64) are decoded,
 * guarded and encoded again, or, sent as a `ContentsBody`, replaced by its guarded copy with its
 * `Content-Length` set again; GraphQL queries and variables are guarded (a mutation's text is
 * there); a body given whole (`data`) is guarded as text or JSON, and one the guard cannot read
 * (a stream, bytes) is refused rather than sent unread; reads are left alone.
 *
 * @example const GuardedOctokit = Octokit.plugin(emailGuardPlugin);
 */
export function emailGuardPlugin(octokit: Octokit): void {
  octokit.hook.before("request", (options) => {
    // A route may be written in lower case (`put /repos/…`): Octokit sends it upper-cased.
    const method = String(options.method).toUpperCase();
    if (method === "GET" || method === "HEAD") return;
    const params = options as Record<string, unknown>;
    const contents = method === "PUT" && CONTENTS_URL.test(String(options.url));
    for (const name of TEXT_PARAMETERS) {
      const value = params[name];
      if (typeof value === "string") params[name] = maskEmails(value);
    }
    if (GRAPHQL_URL.test(String(options.url))) {
      // A GraphQL mutation carries its text in the query or in variables, at any depth.
      if (typeof params.query === "string") params.query = maskEmails(params.query);
      if (params.variables !== undefined) params.variables = maskedValue(params.variables);
    }
    if (contents && typeof params.content === "string") params.content = maskedBase64(params.content);
    if (params.data !== undefined) {
      const guarded = guardedData(params.data, contents);
      if (guarded instanceof ContentsBody) options.headers["content-length"] = String(guarded.length);
      else if (guarded !== params.data) delete options.headers["content-length"];
      params.data = guarded;
    }
  });
}

/**
 * A request body given whole (`data`), guarded: a `ContentsBody` by its own `guardedBy`, JSON
 * (an object, or text that parses as JSON) as its plain JSON form string by string, a committed
 * file's base64 `content` decoded first, and other text as text.
 */
function guardedData(data: unknown, contents: boolean): unknown {
  if (data instanceof ContentsBody) {
    if (guardedBodies.has(data)) return data;
    // The class's own masking, never an override: its copy is a plain ContentsBody, whatever `data` is.
    const guarded = ContentsBody.prototype.guardedBy.call(data, maskEmails);
    guardedBodies.add(guarded);
    return guarded;
  }
  if (typeof data === "string") {
    const json = parsedJson(data);
    if (json === undefined) return maskEmails(data);
    // JSON text may write an address with escapes (`\u0040`) and a file as base64: read as JSON,
    // and written again only when something was masked (a retried GraphQL request's text, built
    // from what was guarded already, goes out as it is).
    const changes = { count: 0 };
    const guarded = guardedJson(json, contents, changes);
    return changes.count === 0 ? data : JSON.stringify(guarded);
  }
  if (isJsonValue(data)) {
    // What Octokit will send (`toJSON` and all), read back as plain JSON before it is guarded.
    const text = JSON.stringify(data) as string | undefined;
    return text === undefined ? data : guardedJson(JSON.parse(text), contents);
  }
  throw new Error(
    "The email guard cannot read this request's body (a stream or bytes), so it is not sent: " +
      "send text, JSON or a ContentsBody (src/github/contents-body.ts).",
  );
}

/**
 * Plain JSON with every string guarded, and a contents write's base64 `content` decoded and
 * guarded; `changes` counts the strings masking changed.
 */
function guardedJson(json: unknown, contents: boolean, changes: Changes = { count: 0 }): unknown {
  const masked = maskedValue(json, changes);
  if (contents && isRecord(masked) && typeof masked.content === "string") {
    const content = maskedBase64(masked.content);
    if (content !== masked.content) changes.count++;
    masked.content = content;
  }
  return masked;
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A base64 file with every address in its text guarded; the same string when there is none. */
function maskedBase64(content: string): string {
  const text = Buffer.from(content, "base64").toString("utf8");
  const guarded = maskEmails(text);
  return guarded === text ? content : Buffer.from(guarded, "utf8").toString("base64");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Plain objects, arrays and scalars: what Octokit sends as JSON. */
function isJsonValue(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** How many strings masking changed. */
interface Changes {
  count: number;
}

/** A JSON value with every string in it guarded (arrays and objects copied, the rest as is). */
function maskedValue(value: unknown, changes: Changes = { count: 0 }): unknown {
  if (typeof value === "string") {
    const masked = maskEmails(value);
    if (masked !== value) changes.count++;
    return masked;
  }
  if (Array.isArray(value)) return value.map((inner) => maskedValue(inner, changes));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskedValue(inner, changes)]));
  return value;
}
