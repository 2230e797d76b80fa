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
    refuseAddressInUrl(url);
    const route: FileRoute =
      method === "PUT" && CONTENTS_URL.test(url.pathname)
        ? "contents"
        : method === "POST" && BLOBS_URL.test(url.pathname)
          ? "blob"
          : null;
    // Every parameter sent as the body is guarded, at any depth, not only the texts the App
    // writes today (body, title, message): a label's name, a blob's content or a GraphQL
    // mutation's query and variables reach GitHub as well. A field that names a target or a
    // person (a branch, a ref, a path, an email) is refused rather than masked: masked, the
    // write would go to another branch or file, or name nobody.
    const changes: Changes = { count: 0 };
    const bodyNames = params.data === undefined && isRecord(sent.body) ? Object.keys(sent.body) : [];
    for (const name of bodyNames) params[name] = maskedValue(params[name], changes, name);
    if (hasBase64Content(route, params) && bodyNames.includes("content")) {
      const content = maskedBase64(params.content as string);
      if (content !== params.content) changes.count++;
      params.content = content;
    }
    // A length the caller declared is that of the body before masking.
    if (changes.count > 0) delete options.headers["content-length"];
    if (params.data !== undefined) {
      const guarded = guardedData(params.data, route);
      if (guarded instanceof ContentsBody) options.headers["content-length"] = String(guarded.length);
      else if (guarded !== params.data) delete options.headers["content-length"];
      params.data = guarded;
    }
  });
}

/** Why a write is refused: the message names the field, never its value. */
function refused(where: string): Error {
  return new Error(
    `The email guard found an email address in ${where} of this write request, so it is not sent: ` +
      "masked, it would name another target or nobody. Leave addresses out of it.",
  );
}

/**
 * Refuses a write whose URL carries an address (in its path, a file or branch named after a
 * person; in its query): masked, the write would go elsewhere, and in clear it lands in proxies'
 * and GitHub's request logs. No write the App makes puts one there.
 */
function refuseAddressInUrl(url: URL): void {
  const path = url.pathname;
  // Each escape on its own: one bad escape must not leave the rest, `%40` included, unread.
  const decoded = path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (escapes) =>
    Buffer.from(escapes.replaceAll("%", ""), "hex").toString("utf8"),
  );
  if (maskEmails(decoded) !== decoded || maskEmails(path) !== path) throw refused("the URL's path");
  for (const [name, value] of url.searchParams)
    if (maskEmails(name) !== name || maskEmails(value) !== value) throw refused("the URL's query string");
}

/**
 * Body fields that say where a write goes or whom it names (a branch, a ref, a tag, a commit, a
 * file's path, a person's email, in REST's and GraphQL's spellings: `branch`, `headRefName`,
 * `expectedHeadOid`, `target_commitish`, `tag_name`, `committer.email`...): an address there is
 * refused, not masked. Matched by the end of the name, so a spelling not listed is caught too.
 */
const TARGET_FIELD =
  /(?:ref|refname|qualifiedname|branch|branchname|base|head|sha|oid|path|email|commitish|tag|tag_name)$/i;

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
    return guardedJsonText(data, json, route);
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

/** A JSON string literal in JSON text (outside its string literals, JSON text has no quotes). */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/**
 * JSON text (`json`, parsed) with every string guarded where it stands: an address written with
 * escapes (`\u0040`) is read as what it is, while numbers keep every digit, a key written twice is
 * read both times, and the text is the same string when nothing changed (a retried GraphQL
 * request's text, built from what was guarded already, goes out as it is). The refusals and a
 * file's base64 `content` are those of the parsed body (`guardedJson`).
 */
function guardedJsonText(text: string, json: unknown, route: FileRoute): string {
  const guarded = guardedJson(json, route);
  const file = isRecord(json) && isRecord(guarded) && guarded.content !== json.content ? json.content : undefined;
  const out = text.replace(JSON_STRING, (token) => {
    const value = JSON.parse(token) as string;
    if (file !== undefined && value === file) return JSON.stringify((guarded as Record<string, unknown>).content);
    const masked = maskEmails(value);
    return masked === value ? token : JSON.stringify(masked);
  });
  return out === text ? text : out;
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
 * file that is not UTF-8 text (an image, an archive, UTF-16 text) cannot be masked without
 * changing bytes that are not an address, so one that holds anything address-shaped, read a
 * byte to a character or as UTF-16, is refused.
 */
function maskedBase64(content: string): string {
  const bytes = Buffer.from(content, "base64");
  if (isUtf8(bytes) && !bytes.includes(0)) {
    const text = bytes.toString("utf8");
    const guarded = maskEmails(text);
    return guarded === text ? content : Buffer.from(guarded, "utf8").toString("base64");
  }
  for (const text of readingsOfBinary(bytes))
    if (maskEmails(text) !== text) throw refused("a file that is not UTF-8 text");
  return content;
}

/**
 * A file's bytes read a byte to a character, the same without NUL bytes (ASCII text in UTF-16 or
 * UTF-32), and as UTF-16 in both byte orders (other characters).
 */
function readingsOfBinary(bytes: Buffer): string[] {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  const littleEndian = even.toString("utf16le");
  const bigEndian = Buffer.from(even).swap16().toString("utf16le");
  const latin1 = bytes.toString("latin1");
  return [latin1, latin1.replaceAll("\0", ""), littleEndian, bigEndian];
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
 * A value as Octokit sends it as JSON, with every string in it guarded: `toJSON` applied once (a
 * date as its text), boxed primitives unboxed, arrays and objects copied, keys JSON leaves out
 * (undefined, functions, symbols) left out, and numbers, booleans and big integers (Octokit
 * writes those as digits) as they are. A target field (`TARGET_FIELD`) holding an address, or
 * a field whose name is one, is refused. The caller's objects are never changed.
 */
function maskedValue(value: unknown, changes: Changes = { count: 0 }, key = "", jsonApplied = false): unknown {
  if (!jsonApplied && typeof value === "object" && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return maskedValue(toJSON.call(value, key), changes, key, true);
  }
  if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof BigInt)
    return maskedValue(value.valueOf(), changes, key, true);
  if (typeof value === "string") {
    const masked = maskEmails(value);
    if (masked === value) return value;
    if (TARGET_FIELD.test(key)) throw refused(`the field "${key}"`);
    changes.count++;
    return masked;
  }
  if (Array.isArray(value))
    return value.map((inner, index) => (isLeftOut(inner) ? null : maskedValue(inner, changes, String(index))));
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      if (isLeftOut(inner)) continue;
      // A name is not a text to mask (`files` of a gist: the name is the file's).
      if (maskEmails(name) !== name) throw refused("a field's name");
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
