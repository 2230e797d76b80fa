import { isUtf8 } from "node:buffer";
import type { Octokit } from "@octokit/core";
import { maskEmails } from "../privacy/index.js";
import { ContentsBody } from "./contents-body.js";

/** A contents API path: its `content` is a committed file, base64. */
const CONTENTS_URL = /\/contents\//;
/** The Git blobs API path: its `content` is a file, base64 when `encoding` says so. */
const BLOBS_URL = /\/git\/blobs\/?$/;

/** Which kind of route a write is, for its base64 `content`: a contents write, a blob, or neither. */
type FileRoute = "contents" | "blob" | null;

/** Whether `body` carries a file as base64 in `content` on `route`. */
function hasBase64Content(route: FileRoute, body: Record<string, unknown>): boolean {
  return typeof body.content === "string" && (route === "contents" || (route === "blob" && body.encoding === "base64"));
}

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
    // Where the write goes and what its body is, as Octokit itself works them out (`:name` and
    // `{name}` routes, every URL template operator), not a copy of its rules that could differ.
    const sent = octokit.request.endpoint.parse(options as never) as { url: string; body?: unknown };
    const url = new URL(sent.url, "https://api.github.invalid");
    refuseAddressInQuery(url);
    const route: FileRoute =
      method === "PUT" && CONTENTS_URL.test(url.pathname)
        ? "contents"
        : method === "POST" && BLOBS_URL.test(url.pathname)
          ? "blob"
          : null;
    // Every parameter sent as the body is guarded, at any depth, not only the texts the App
    // writes today (body, title, message): a label's name, a committer's email, a blob's content
    // or a GraphQL mutation's query and variables reach GitHub as well. The URL's path (owner,
    // repo, a file's path) is left alone: masking it would write somewhere else.
    const bodyNames = params.data === undefined && isRecord(sent.body) ? Object.keys(sent.body) : [];
    for (const name of bodyNames) params[name] = maskedValue(params[name]);
    if (hasBase64Content(route, params)) params.content = maskedBase64(params.content as string);
    if (params.data !== undefined) {
      const guarded = guardedData(params.data, route);
      if (guarded instanceof ContentsBody) options.headers["content-length"] = String(guarded.length);
      else if (guarded !== params.data) delete options.headers["content-length"];
      params.data = guarded;
    }
  });
}

/**
 * Refuses a write whose query string carries an address: a query says how, not where, so it
 * could be masked, but it also lands in proxies' and GitHub's request logs, and no write the App
 * makes puts one there.
 */
function refuseAddressInQuery(url: URL): void {
  for (const [name, value] of url.searchParams)
    if (maskEmails(name) !== name || maskEmails(value) !== value)
      throw new Error(
        "The email guard found an email address in this write request's query string, so it is not sent: " +
          "send it in the request body, where the guard masks it.",
      );
}

/**
 * A request body given whole (`data`), guarded: a `ContentsBody` by its own `guardedBy`, JSON
 * (an object, or text that parses as JSON) as its plain JSON form string by string, a committed
 * file's base64 `content` decoded first, and other text as text.
 */
function guardedData(data: unknown, route: FileRoute): unknown {
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
    const guarded = guardedJson(json, route, changes);
    return changes.count === 0 ? data : JSON.stringify(guarded);
  }
  if (isJsonValue(data)) {
    // What Octokit will send, `toJSON` and all (maskedValue reads values as JSON writes them).
    return guardedJson(data, route);
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
function guardedJson(json: unknown, route: FileRoute, changes: Changes = { count: 0 }): unknown {
  const masked = maskedValue(json, changes);
  if (isRecord(masked) && hasBase64Content(route, masked)) {
    const content = maskedBase64(masked.content as string);
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

/**
 * A base64 file with every address in its text guarded; the same string when there is none. A
 * file that is not UTF-8 (an image, an archive) is read a byte to a character, so only the bytes
 * of an address change and every other byte goes out as it came.
 */
function maskedBase64(content: string): string {
  const bytes = Buffer.from(content, "base64");
  const encoding = isUtf8(bytes) ? "utf8" : "latin1";
  const text = bytes.toString(encoding);
  const guarded = maskEmails(text);
  return guarded === text ? content : Buffer.from(guarded, encoding).toString("base64");
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

/** What JSON leaves out of an object (and writes as null in an array). */
function isLeftOut(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** How many strings masking changed. */
interface Changes {
  count: number;
}

/**
 * A value as Octokit sends it as JSON, with every string in it guarded: `toJSON` applied (a date
 * as its text), arrays and objects copied, keys JSON leaves out (undefined, functions, symbols)
 * left out, and numbers, booleans and big integers (Octokit writes those as digits) as they are.
 * The caller's objects are never changed.
 */
function maskedValue(value: unknown, changes: Changes = { count: 0 }, key = ""): unknown {
  if (isRecord(value) || Array.isArray(value)) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return maskedValue(toJSON.call(value, key), changes, key);
  }
  if (typeof value === "string") {
    const masked = maskEmails(value);
    if (masked !== value) changes.count++;
    return masked;
  }
  if (Array.isArray(value))
    return value.map((inner, index) => (isLeftOut(inner) ? null : maskedValue(inner, changes, String(index))));
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      if (isLeftOut(inner)) continue;
      // defineProperty: a key named `__proto__` stays a key, as JSON has it.
      Object.defineProperty(copy, name, {
        value: maskedValue(inner, changes, name),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}
