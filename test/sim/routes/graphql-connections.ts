import type { Dataset, IdentityScope } from "../dataset.js";
import { decodeCursor, encodeCursor, hasField } from "./graphql-args.js";

/** A GraphQL error as GitHub returns it (HTTP 200, `errors` beside `data`). */
export interface GraphqlError {
  type?: string;
  path?: string[];
  message: string;
}

/** Reads `first`/`after` with GitHub's own limits and messages. */
export function pageArgs(
  args: Record<string, unknown>,
  field: string,
): { first: number; start: number } | GraphqlError {
  const first = args.first;
  if (typeof first !== "number") {
    return {
      type: "MISSING_PAGINATION_BOUNDARIES",
      message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    };
  }
  if (first < 0 || first > 100) {
    return {
      type: "EXCESSIVE_PAGINATION",
      message: `Requesting ${first} records on the \`${field}\` connection exceeds the \`first\` limit of 100 records.`,
    };
  }
  const start = decodeCursor(args.after);
  if (start === null)
    return {
      type: "INVALID_CURSOR_ARGUMENTS",
      message: `\`${String(args.after)}\` does not appear to be a valid cursor.`,
    };
  return { first, start };
}

/** An `externalIdentities` connection page; cursors carry person indexes. */
export function identityConnection(
  query: string,
  ds: Dataset,
  scope: IdentityScope,
  first: number,
  start: number,
): Record<string, unknown> {
  const page = ds.identityPage(scope, start, first);
  const cursors = page.indexes.map((i) => encodeCursor(i + 1));
  const connection: Record<string, unknown> = {
    pageInfo: {
      hasNextPage: page.next !== null,
      endCursor: cursors.at(-1) ?? null,
      hasPreviousPage: start > 0,
      startCursor: cursors[0] ?? null,
    },
    nodes: page.nodes,
  };
  if (hasField(query, "edges")) connection.edges = page.nodes.map((node, i) => ({ cursor: cursors[i], node }));
  // Counting needs a pass over every person: only when asked.
  if (hasField(query, "totalCount")) connection.totalCount = ds.census.identities[scope ?? ""] ?? 0;
  return connection;
}

/** An enterprise `domains` connection, optionally filtered by `isVerified`. */
export function domainConnection(
  ds: Dataset,
  args: Record<string, unknown>,
  first: number,
  start: number,
): Record<string, unknown> {
  const all = ds.domains().filter((d) => typeof args.isVerified !== "boolean" || d.isVerified === args.isVerified);
  const nodes = all.slice(start, start + first);
  return {
    totalCount: all.length,
    pageInfo: {
      hasNextPage: start + first < all.length,
      endCursor: nodes.length > 0 ? encodeCursor(start + nodes.length) : null,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? encodeCursor(start + 1) : null,
    },
    nodes,
  };
}
