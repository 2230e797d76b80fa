import type { Readable } from "node:stream";
import { z } from "zod";
import { InputError } from "../../errors.js";
import type { EmailProtector } from "../../privacy/protect.js";
import type { ExternalIdentity } from "../../reconcile/model.js";
import { streamJson } from "./json-stream.js";
import { issuePath } from "./zod-issue.js";

/** SAML claims GitHub compares with a GHES primary email (DOMAIN.md 3). */
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

/**
 * Reads the `--identities` input: a JSON array of `ExternalIdentity` nodes (enterprise or org
 * SAML, SCIM). Streams, validates each node, names the index of a bad one.
 */
export async function readExternalIdentitiesJson(input: Readable, options: { source: string; protector: EmailProtector }): Promise<ExternalIdentity[]> {
  const { source, protector } = options;
  const identities: ExternalIdentity[] = [];
  const root = await streamJson(input, source, {
    paths: ["$.*"],
    onValue(value, key) {
      const parsed = externalIdentitySchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(source, issuePath(`[${String(key)}]`, issue), issue.message, "Give a JSON array of GraphQL ExternalIdentity nodes.");
      }
      identities.push(toExternalIdentity(parsed.data, protector));
    },
  });
  if (root !== "array") throw new InputError(source, "", "expected a JSON array of ExternalIdentity nodes", "Give a JSON array (`[ {...}, ... ]`).");
  return identities;
}
