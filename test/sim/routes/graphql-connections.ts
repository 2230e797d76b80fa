import type { Dataset, IdentityScope } from "../dataset.js";
import { decodeCursor, encodeCursor, hasField } from "./graphql-args.js";

/** A GraphQL error as GitHub returns it (HTTP 200, `errors` beside `data`). */
export interface GraphqlError {
  type?: string;
  path?: string[];
  message: string;
}

/**
 * Which page a connection is asked for: `first` after a cursor, or `last` before one (from the
 * end). Positions are those cursors carry: the node at position p has cursor p + 1.
 */
export interface Paging {
  /** Nodes asked for. */
  size: number;
  /** True for `last`/`before`. */
  fromEnd: boolean;
  /** From the start: the first position to return (the `after` cursor). From the end: the
   * position to stop before, exclusive (the `before` cursor's node), or Infinity without one. */
  bound: number;
}

/** Reads `first`/`after` or `last`/`before` with GitHub's own limits and messages. */
export function pageArgs(args: Record<string, unknown>, field: string): Paging | GraphqlError {
  const { first, last } = args;
  if (typeof first === "number" && typeof last === "number") {
    return {
      type: "ARGUMENT_LIMIT",
      message: `Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`,
    };
  }
  const fromEnd = typeof last === "number";
  const size = fromEnd ? last : first;
  if (typeof size !== "number") {
    return {
      type: "MISSING_PAGINATION_BOUNDARIES",
      message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    };
  }
  if (size < 0 || size > 100) {
    return {
      type: "EXCESSIVE_PAGINATION",
      message: `Requesting ${size} records on the \`${field}\` connection exceeds the \`${fromEnd ? "last" : "first"}\` limit of 100 records.`,
    };
  }
  const cursor = fromEnd ? args.before : args.after;
  const position = decodeCursor(cursor);
  if (position === null)
    return {
      type: "INVALID_CURSOR_ARGUMENTS",
      message: `\`${String(cursor)}\` does not appear to be a valid cursor.`,
    };
  if (!fromEnd) return { size, fromEnd, bound: position };
  return { size, fromEnd, bound: position === 0 ? Infinity : position - 1 };
}

/**
 * The `pageInfo` fields the query selects within `field`: GitHub returns only those, and
 * paginate-graphql tells a read from the end by the absence of `hasNextPage`.
 */
function pageInfo(query: string, field: string, all: Record<string, unknown>): Record<string, unknown> {
  const at = query.search(new RegExp(`(^|[^$\\w])${field}\\b`));
  const selection = at < 0 ? null : /pageInfo\s*\{([^}]*)\}/.exec(query.slice(at));
  if (!selection) return {};
  const picked: Record<string, unknown> = {};
  for (const name of selection[1]!.match(/\w+/g) ?? []) if (name in all) picked[name] = all[name];
  return picked;
}

/** An `externalIdentities` connection page; cursors carry person indexes. */
export function identityConnection(
  query: string,
  ds: Dataset,
  scope: IdentityScope,
  paging: Paging,
): Record<string, unknown> {
  const page = paging.fromEnd
    ? ds.identityPageBefore(scope, paging.bound, paging.size)
    : ds.identityPage(scope, paging.bound, paging.size);
  const cursors = page.indexes.map((i) => encodeCursor(i + 1));
  const connection: Record<string, unknown> = {
    pageInfo: pageInfo(query, "externalIdentities", {
      // GitHub answers false for the direction a query does not read in.
      hasNextPage: !paging.fromEnd && page.next !== null,
      endCursor: cursors.at(-1) ?? null,
      hasPreviousPage: paging.fromEnd ? page.hasPrevious === true : paging.bound > 0,
      startCursor: cursors[0] ?? null,
    }),
    nodes: page.nodes,
  };
  if (hasField(query, "edges")) connection.edges = page.nodes.map((node, i) => ({ cursor: cursors[i], node }));
  // Counting needs a pass over every person: only when asked.
  if (hasField(query, "totalCount")) connection.totalCount = ds.census.identities[scope ?? ""] ?? 0;
  return connection;
}

/** An enterprise `domains` connection, optionally filtered by `isVerified`. */
export function domainConnection(
  query: string,
  ds: Dataset,
  args: Record<string, unknown>,
  paging: Paging,
): Record<string, unknown> {
  const all = ds.domains().filter((d) => typeof args.isVerified !== "boolean" || d.isVerified === args.isVerified);
  const end = paging.fromEnd ? Math.min(paging.bound, all.length) : Math.min(paging.bound + paging.size, all.length);
  const start = paging.fromEnd ? Math.max(0, end - paging.size) : Math.min(paging.bound, all.length);
  const nodes = all.slice(start, end);
  return {
    totalCount: all.length,
    pageInfo: pageInfo(query, "domains", {
      hasNextPage: !paging.fromEnd && end < all.length,
      endCursor: nodes.length > 0 ? encodeCursor(end) : null,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? encodeCursor(start + 1) : null,
    }),
    nodes,
  };
}
