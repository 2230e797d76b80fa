import type { Readable } from "node:stream";
import { z } from "zod";
import type { EmailProtector } from "../../privacy/index.js";
import { type ExternalIdentity, InputError, unopenedFileError } from "../../shared/index.js";
import { captureEnd, isSpace, newCapture, type Capture } from "./json-pages.js";
import { issuePath } from "./zod-issue.js";

/** SAML claims GitHub compares with a GHES primary email (docs/matching-rule.md). */
const EMAIL_CLAIMS = new Set([
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
]);
const emails = z.array(z.object({ value: z.string().nullish() }).loose()).nullish();

/** A GraphQL `ExternalIdentity` node as GitHub returns it; unknown fields pass. */
export const externalIdentitySchema = z.looseObject({
  /** SAML side, when the enterprise or org uses SAML. */
  samlIdentity: z
    .looseObject({
      nameId: z.string().nullish(),
      username: z.string().nullish(),
      emails,
      attributes: z.array(z.object({ name: z.string(), value: z.string().nullish() }).loose()).nullish(),
    })
    .nullish(),
  /** SCIM side, when provisioning is used. */
  scimIdentity: z.looseObject({ username: z.string().nullish(), emails }).nullish(),
  /** The GHEC account the identity is linked to. */
  user: z.looseObject({ login: z.string() }).nullish(),
});
export type ExternalIdentityNode = z.output<typeof externalIdentitySchema>;

/** Every value GitHub compares with a server email, in clear, for the protector to key. */
export function identityValues(node: ExternalIdentityNode): string[] {
  const saml = node.samlIdentity;
  const scim = node.scimIdentity;
  return [
    saml?.nameId,
    saml?.username,
    ...(saml?.emails ?? []).map((e) => e.value),
    ...(saml?.attributes ?? []).filter((a) => EMAIL_CLAIMS.has(a.name)).map((a) => a.value),
    scim?.username,
    ...(scim?.emails ?? []).map((e) => e.value),
  ].filter((value): value is string => typeof value === "string" && value.trim() !== "");
}

/** Reduces a node to what matching needs, keying every value. */
export function toExternalIdentity(node: ExternalIdentityNode, protector: EmailProtector): ExternalIdentity {
  const values = identityValues(node);
  const unique = (list: Array<string | null>) => [...new Set(list.filter((v): v is string => v !== null))];
  return {
    login: node.user?.login ?? null,
    emailKeys: unique(values.map((v) => protector.key(v))),
    handleKeys: unique(values.map((v) => protector.handleKey(v))),
  };
}

/** Where a saved GraphQL page holds its identities (enterprise, or an organization's own SAML). */
const CONNECTIONS = [
  "data.enterprise.ownerInfo.samlIdentityProvider.externalIdentities",
  "data.organization.samlIdentityProvider.externalIdentities",
];
/** Objects walked on the way from a page to a connection (`data`, `data.enterprise`, ...). */
const ON_THE_WAY = new Set(
  CONNECTIONS.flatMap((c) => c.split(".").map((_, i, keys) => keys.slice(0, i + 1).join("."))),
);
/** Keys a GraphQL response starts with; an `ExternalIdentity` node has none of them. */
const RESPONSE_KEYS = new Set(["data", "errors", "extensions"]);
/** Largest stretch of input between two identities (bytes): a node is a few hundred bytes. */
export const MAX_IDENTITY_BYTES = 1024 * 1024;
/** Bytes handed to the decoder and scanner at a time, so the bound above is checked often. */
const SLICE_BYTES = 64 * 1024;

const FIX =
  'Save the GraphQL response as `gh api graphql --paginate` writes it, or a JSON array of ExternalIdentity nodes (README, "--identities").';

/** `[` nodes `]`; `{data}` pages back to back (NDJSON too); `[` pages `]` (`--slurp`). */
type Form = "nodes" | "pages" | "page-array";

/**
 * What a container is in the saved forms: the top-level array (of nodes or of pages), a page
 * object or an object on the way to its connection (`path` from the page, "" for the page), a
 * connection's `nodes` or `edges` list, or one edge.
 */
type Role =
  | { is: "top" }
  | { is: "object"; path: string }
  | { is: "list"; connection: string; list: "nodes" | "edges" }
  | { is: "edge"; connection: string; index: number };
interface Frame {
  role: Role;
  array: boolean;
  /** Objects: "first" | "key" | "colon" | "value" | "next"; arrays: "first" | "value" | "next". */
  state: "first" | "key" | "colon" | "value" | "next";
  key: string;
  count: number;
}

/**
 * Reads the `--identities` input in every form an admin saves it (README, "--identities"):
 *  - a JSON array of GraphQL `ExternalIdentity` nodes;
 *  - the GraphQL response (`data.enterprise.ownerInfo.samlIdentityProvider.externalIdentities`,
 *    or an organization's `data.organization.samlIdentityProvider.externalIdentities`) with
 *    `nodes` or `edges[].node`, one page or several back to back with any whitespace between
 *    them (`gh api graphql --paginate`, NDJSON);
 *  - a JSON array of such pages (`gh api graphql --paginate --slurp`).
 * Streams: bytes go through a streaming UTF-8 decoder (a character may straddle two reads); only
 * the outer structure (pages, the way to the connection, its lists) is walked here, and each node
 * is handed whole to `JSON.parse`, so a node costs about what parsing it costs. Input that goes on
 * for more than {@link MAX_IDENTITY_BYTES} without completing an identity is refused naming its
 * offset. A page that says `hasNextPage: true` with no page after it is refused: save every page.
 * Errors name the page and node, never a value.
 */
export async function readExternalIdentitiesJson(
  input: Readable,
  options: { source: string; protector: EmailProtector },
): Promise<ExternalIdentity[]> {
  const { source, protector } = options;
  const identities: ExternalIdentity[] = [];
  const stack: Frame[] = [];
  let form: Form | undefined;
  let buf = "";
  let pos = 0;
  /** Characters before `buf[0]`. */
  let base = 0;
  let cap: Capture | null = null;
  let lastProgress = 0;
  let page = 0;
  let pageRecognized = false;
  let lastHasNextPage: boolean | undefined;
  let seen = false;

  const where = (detail: string) => (form === "nodes" ? detail : `page ${page}${detail ? `, ${detail}` : ""}`);
  const refuse = (at: string, problem: string, fix = FIX) => new InputError(source, at, problem, fix);
  // `JSON.parse` errors quote the text: only the position is kept.
  const invalid = (offset: number) => refuse(`byte ${base + offset}`, "not valid JSON near there", FIX);

  const addNode = (value: unknown, at: string) => {
    const parsed = externalIdentitySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw refuse(
        issuePath(where(at), issue),
        issue.message,
        "Give GraphQL ExternalIdentity nodes (samlIdentity, scimIdentity, user) as the README's query returns them.",
      );
    }
    identities.push(toExternalIdentity(parsed.data, protector));
    lastProgress = base + pos;
  };

  const endPage = () => {
    if (!pageRecognized) {
      throw refuse(
        where(""),
        `holds no ${CONNECTIONS.join(" or ")} (with nodes or edges and pageInfo)`,
        "Save the response of the README's query; if samlIdentityProvider is null, the enterprise has no SAML identities: leave --identities out.",
      );
    }
  };

  const push = (role: Role, array: boolean) => {
    if (role.is === "object" && role.path === "") {
      page += 1;
      pageRecognized = false;
      lastProgress = base + pos;
    }
    stack.push({ role, array, state: "first", key: "", count: 0 });
    pos++;
  };

  /** The value starting at `pos`, parsed, or `undefined` (with `pos` kept) when the text ends inside it. */
  const take = (final: boolean): { value: unknown } | undefined => {
    cap ??= newCapture(pos);
    const end = captureEnd(buf, cap, final);
    if (end === -1) return undefined;
    const start = cap.start;
    cap = null;
    try {
      const value: unknown = JSON.parse(buf.slice(start, end));
      pos = end;
      return { value };
    } catch {
      throw invalid(start);
    }
  };

  /** Next character that is not whitespace at or after `from`, as an offset, or -1. */
  const nextSolid = (from: number) => {
    let i = from;
    while (i < buf.length && isSpace(buf.charCodeAt(i))) i++;
    return i < buf.length ? i : -1;
  };

  /** Chooses the form from the first characters: `{`, `[` + a node, or `[` + a GraphQL response. */
  const chooseForm = (final: boolean): Form | undefined => {
    const first = buf.charCodeAt(pos);
    if (first === 123) return "pages";
    if (first !== 91) {
      // A JSON value of another kind is refused as such; anything else is not JSON at all.
      if (!/^["\-0-9tfn]/.test(buf[pos]!)) throw invalid(pos);
      throw refuse("", "expected a JSON array or a GraphQL response object");
    }
    const second = nextSolid(pos + 1);
    if (second === -1) return undefined;
    if (buf.charCodeAt(second) !== 123) return "nodes";
    const third = nextSolid(second + 1);
    if (third === -1) return undefined;
    if (buf.charCodeAt(third) !== 34) return "nodes";
    const keyEnd = captureEnd(buf, newCapture(third), final);
    if (keyEnd === -1) return undefined;
    let key: unknown;
    try {
      key = JSON.parse(buf.slice(third, keyEnd));
    } catch {
      throw invalid(third);
    }
    return RESPONSE_KEYS.has(key as string) ? "page-array" : "nodes";
  };

  /** A value inside a page object whose path from the page is `path`. */
  const objectValue = (frame: Frame, path: string, final: boolean): boolean => {
    const c = buf.charCodeAt(pos);
    const key = frame.key;
    const child = path ? `${path}.${key}` : key;
    if (CONNECTIONS.includes(path)) {
      const connection = path.startsWith("data.enterprise") ? "enterprise" : "organization";
      if ((key === "nodes" || key === "edges") && c === 91 && !cap) {
        push({ is: "list", connection, list: key }, true);
        return true;
      }
      if (key === "pageInfo") {
        const taken = take(final);
        if (!taken) return false;
        pageRecognized = true;
        lastHasNextPage = (taken.value as { hasNextPage?: unknown } | null)?.hasNextPage === true;
        lastProgress = base + pos;
        return true;
      }
    } else if (ON_THE_WAY.has(child) && c === 123 && !cap) {
      push({ is: "object", path: child }, false);
      return true;
    }
    const taken = take(final);
    if (!taken) return false;
    if (path === "" && key === "errors") {
      throw refuse(
        where(""),
        "is a GraphQL error response (it has `errors`), so its identities may be missing",
        "Fix what GitHub reported (often a token without admin:enterprise or read:org, or SAML not authorized) and save the response again.",
      );
    }
    return true;
  };

  /** One step inside an object; false when more text is needed. */
  const objectStep = (frame: Frame, role: Extract<Role, { is: "object" | "edge" }>, final: boolean): boolean => {
    const c = buf.charCodeAt(pos);
    switch (frame.state) {
      case "first":
      case "key": {
        if (frame.state === "first" && c === 125) break;
        if (c !== 34 && !cap) throw invalid(pos);
        const taken = take(final);
        if (!taken) return false;
        frame.key = taken.value as string;
        if (frame.state === "first" && role.is === "object" && role.path === "" && !RESPONSE_KEYS.has(frame.key)) {
          throw refuse(where(""), 'is not a GraphQL response (it does not start with "data")', FIX);
        }
        frame.state = "colon";
        return true;
      }
      case "colon":
        if (c !== 58) throw invalid(pos);
        pos++;
        frame.state = "value";
        return true;
      case "value": {
        if (role.is === "edge" && frame.key === "node") {
          const taken = take(final);
          if (!taken) return false;
          pageRecognized = true;
          addNode(taken.value, `${role.connection} edges[${role.index}].node`);
        } else if (role.is === "edge") {
          if (!take(final)) return false;
        } else if (!objectValue(frame, role.path, final)) return false;
        // A container pushed above this frame: its own steps come first.
        frame.state = "next";
        return true;
      }
      case "next":
        if (c === 44) {
          frame.state = "key";
          pos++;
          return true;
        }
        if (c !== 125) throw invalid(pos);
        break;
    }
    // `}`: the object ends.
    if (frame.state === "first" && role.is === "object" && role.path === "") {
      throw refuse(where(""), 'is not a GraphQL response (it does not start with "data")', FIX);
    }
    pos++;
    stack.pop();
    if (role.is === "object" && role.path === "") endPage();
    return true;
  };

  /** One step inside an array; false when more text is needed. */
  const arrayStep = (frame: Frame, final: boolean): boolean => {
    const c = buf.charCodeAt(pos);
    if (frame.state === "next" || (frame.state === "first" && c === 93)) {
      if (c === 44) frame.state = "value";
      else if (c === 93) stack.pop();
      else throw invalid(pos);
      pos++;
      return true;
    }
    const role = frame.role;
    const index = frame.count;
    if (role.is === "top" && form === "page-array" && c === 123 && !cap) {
      frame.count++;
      frame.state = "next";
      push({ is: "object", path: "" }, false);
      return true;
    }
    if (role.is === "list" && role.list === "edges" && c === 123 && !cap) {
      frame.count++;
      frame.state = "next";
      push({ is: "edge", connection: role.connection, index }, false);
      return true;
    }
    const taken = take(final);
    if (!taken) return false;
    frame.count++;
    frame.state = "next";
    if (role.is === "top" && form === "nodes") addNode(taken.value, `[${index}]`);
    else if (role.is === "list" && role.list === "nodes") {
      pageRecognized = true;
      addNode(taken.value, `${role.connection} nodes[${index}]`);
    }
    return true;
  };

  const run = (final: boolean) => {
    for (;;) {
      if (!cap) {
        while (pos < buf.length && isSpace(buf.charCodeAt(pos))) pos++;
        if (pos >= buf.length) return;
      }
      const frame = stack.at(-1);
      if (frame === undefined) {
        seen = true;
        if (!form) {
          form = chooseForm(final);
          if (!form) return;
        } else if (form !== "pages" || buf.charCodeAt(pos) !== 123) throw invalid(pos);
        if (form === "pages") push({ is: "object", path: "" }, false);
        else push({ is: "top" }, true);
        continue;
      }
      const role = frame.role;
      const more =
        role.is === "object" || role.is === "edge" ? objectStep(frame, role, final) : arrayStep(frame, final);
      if (!more) return;
    }
  };

  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let written = 0;
  const write = (bytes: Uint8Array | undefined) => {
    let text: string;
    try {
      text = bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw refuse(
        `byte ${written}`,
        "is not valid UTF-8 text",
        "Save the file as UTF-8 (what gh and GitHub's API write).",
      );
    }
    if (bytes) written += bytes.length;
    if (text) {
      // Keep only what is still to be read: the value being captured, or what follows `pos`.
      const keep = cap ? cap.start : pos;
      if (keep > 0) {
        buf = buf.slice(keep) + text;
        base += keep;
        pos -= keep;
        if (cap) {
          cap.start -= keep;
          cap.at -= keep;
        }
      } else buf += text;
      run(false);
    }
    if (written - lastProgress > MAX_IDENTITY_BYTES) {
      throw refuse(
        `byte ${lastProgress}`,
        `a value there runs over ${MAX_IDENTITY_BYTES / (1024 * 1024)} MiB without completing an identity`,
        'No identity is that large: give the GraphQL response or node array unedited (README, "--identities").',
      );
    }
  };

  try {
    for await (const chunk of input) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
      for (let start = 0; start < bytes.length; start += SLICE_BYTES) write(bytes.subarray(start, start + SLICE_BYTES));
    }
    write(undefined);
    run(true);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const unopened = unopenedFileError(error, source, {
      missing: "Check the path given to --identities.",
      directory: "Give the path of a JSON file.",
    });
    if (unopened) throw unopened;
    throw error;
  } finally {
    input.destroy();
  }
  if (!seen) throw refuse("", "the file is empty", FIX);
  if (!form || stack.length > 0 || cap) throw refuse("", "the document ends early (truncated?)", FIX);
  if (lastHasNextPage) {
    throw refuse(
      `page ${page}`,
      "says hasNextPage: true, but no page follows: the input holds only part of the identities",
      'Save every page: `gh api graphql --paginate ...` (README, "--identities").',
    );
  }
  return identities;
}
