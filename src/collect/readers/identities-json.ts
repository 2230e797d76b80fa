import type { Readable } from "node:stream";
import { Tokenizer, TokenParser, TokenType, type ParsedTokenInfo } from "@streamparser/json";
import { z } from "zod";
import type { EmailProtector } from "../../privacy/index.js";
import { type ExternalIdentity, InputError, unopenedFileError } from "../../shared/index.js";
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
/** Keys a GraphQL response starts with; an `ExternalIdentity` node has none of them. */
const RESPONSE_KEYS = new Set(["data", "errors", "extensions"]);
/** Largest stretch of input between two identities (bytes): a node is a few hundred bytes. */
export const MAX_IDENTITY_BYTES = 1024 * 1024;
/** Bytes handed to the decoder and tokenizer at a time, so the bound above is checked often. */
const SLICE_BYTES = 64 * 1024;

const FIX =
  'Save the GraphQL response as `gh api graphql --paginate` writes it, or a JSON array of ExternalIdentity nodes (README, "--identities").';

/** `[` nodes `]`; `{data}` pages back to back (NDJSON too); `[` pages `]` (`--slurp`). */
type Form = "nodes" | "pages" | "page-array";

/**
 * Reads the `--identities` input in every form an admin saves it (README, "--identities"):
 *  - a JSON array of GraphQL `ExternalIdentity` nodes;
 *  - the GraphQL response (`data.enterprise.ownerInfo.samlIdentityProvider.externalIdentities`,
 *    or an organization's `data.organization.samlIdentityProvider.externalIdentities`) with
 *    `nodes` or `edges[].node`, one page or several back to back with any whitespace between
 *    them (`gh api graphql --paginate`, NDJSON);
 *  - a JSON array of such pages (`gh api graphql --paginate --slurp`).
 * Streams: bytes go through a streaming UTF-8 decoder (a character may straddle two reads),
 * only one node is built at a time, and input that goes on for more than
 * {@link MAX_IDENTITY_BYTES} without completing an identity is refused naming its byte offset.
 * A page that says `hasNextPage: true` with no page after it is refused: save every page.
 * Errors name the page and node, never a value.
 */
export async function readExternalIdentitiesJson(
  input: Readable,
  options: { source: string; protector: EmailProtector },
): Promise<ExternalIdentity[]> {
  const { source, protector } = options;
  const identities: ExternalIdentity[] = [];
  const tokenizer = new Tokenizer();
  const buffered: ParsedTokenInfo[] = [];
  let form: Form | undefined;
  let parser: TokenParser | undefined;
  let depth = 0;
  let tokenOffset = 0;
  let lastProgress = 0;
  let page = 0;
  let pageRecognized = false;
  let lastHasNextPage: boolean | undefined;
  let expectFirstKey = false;

  const pageDepth = () => (form === "page-array" ? 2 : 1);
  const where = (detail: string) => (form === "nodes" ? detail : `page ${page}${detail ? `, ${detail}` : ""}`);
  const refuse = (at: string, problem: string, fix = FIX) => new InputError(source, at, problem, fix);

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
    lastProgress = tokenOffset;
  };

  const onValue = ({
    value,
    key,
    stack,
  }: {
    value: unknown;
    key?: string | number;
    stack: Array<{ key?: string | number }>;
  }) => {
    if (form === "nodes") {
      addNode(value, `[${String(key)}]`);
      return;
    }
    pageRecognized = true;
    if (key === "errors") {
      throw refuse(
        where(""),
        "is a GraphQL error response (it has `errors`), so its identities may be missing",
        "Fix what GitHub reported (often a token without admin:enterprise or read:org, or SAML not authorized) and save the response again.",
      );
    }
    if (key === "pageInfo") {
      const hasNextPage = (value as { hasNextPage?: unknown } | null)?.hasNextPage;
      lastHasNextPage = hasNextPage === true;
      lastProgress = tokenOffset;
      return;
    }
    const connection = stack.some((item) => item.key === "enterprise") ? "enterprise" : "organization";
    addNode(
      value,
      key === "node" ? `${connection} edges[${String(stack.at(-1)?.key)}].node` : `${connection} nodes[${String(key)}]`,
    );
  };

  const startParser = (chosen: Form) => {
    form = chosen;
    const prefix = chosen === "page-array" ? "$.*" : "$";
    const paths =
      chosen === "nodes"
        ? ["$.*"]
        : [
            `${prefix}.errors`,
            ...CONNECTIONS.flatMap((c) => [
              `${prefix}.${c}.nodes.*`,
              `${prefix}.${c}.edges.*.node`,
              `${prefix}.${c}.pageInfo`,
            ]),
          ];
    parser = new TokenParser({ paths, keepStack: false, separator: "" });
    parser.onValue = onValue as TokenParser["onValue"];
    parser.onError = (error) => {
      throw error;
    };
  };

  /** Chooses the form from the first tokens: `{`, `[` + a node, or `[` + a GraphQL response. */
  const chooseForm = (): Form | undefined => {
    const [first, second, third] = buffered;
    if (first?.token === TokenType.LEFT_BRACE) return "pages";
    if (first?.token !== TokenType.LEFT_BRACKET) throw refuse("", "expected a JSON array or a GraphQL response object");
    if (!second) return undefined;
    if (second.token !== TokenType.LEFT_BRACE) return "nodes";
    if (!third) return undefined;
    return third.token === TokenType.STRING && RESPONSE_KEYS.has(String(third.value)) ? "page-array" : "nodes";
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

  const feed = (info: ParsedTokenInfo) => {
    const opens = info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET;
    const closes = info.token === TokenType.RIGHT_BRACE || info.token === TokenType.RIGHT_BRACKET;
    if (form !== "nodes" && expectFirstKey) {
      expectFirstKey = false;
      if (info.token !== TokenType.STRING || !RESPONSE_KEYS.has(String(info.value))) {
        throw refuse(where(""), 'is not a GraphQL response (it does not start with "data")', FIX);
      }
    }
    if (opens) {
      depth += 1;
      if (form !== "nodes" && depth === pageDepth() && info.token === TokenType.LEFT_BRACE) {
        page += 1;
        pageRecognized = false;
        expectFirstKey = true;
        lastProgress = info.offset;
      }
    }
    tokenOffset = info.offset;
    parser!.write(info);
    if (closes) {
      if (form !== "nodes" && depth === pageDepth()) endPage();
      depth -= 1;
    }
  };

  tokenizer.onToken = (info) => {
    if (!form) {
      buffered.push(info);
      const chosen = chooseForm();
      if (!chosen) return;
      startParser(chosen);
      for (const token of buffered.splice(0)) feed(token);
      return;
    }
    feed(info);
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
    if (text) tokenizer.write(text);
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
    tokenizer.end();
  } catch (error) {
    if (error instanceof InputError) throw error;
    const unopened = unopenedFileError(error, source, {
      missing: "Check the path given to --identities.",
      directory: "Give the path of a JSON file.",
    });
    if (unopened) throw unopened;
    // The JSON libraries' own messages quote input text (possibly an email): only the position is kept.
    throw refuse(`byte ${tokenOffset}`, "not valid JSON near there", FIX);
  } finally {
    input.destroy();
  }
  if (!form && buffered.length === 0) throw refuse("", "the file is empty", FIX);
  if (!form || depth !== 0) throw refuse("", "the document ends early (truncated?)", FIX);
  if (lastHasNextPage) {
    throw refuse(
      `page ${page}`,
      "says hasNextPage: true, but no page follows: the input holds only part of the identities",
      'Save every page: `gh api graphql --paginate ...` (README, "--identities").',
    );
  }
  return identities;
}
