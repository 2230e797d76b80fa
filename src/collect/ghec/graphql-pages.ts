import type { GitHubClient, RequestMeter } from "../../github/index.js";

/**
 * A page's connection, or null when its owner has none (e.g. no SAML identity provider). A query
 * read from the end selects `pageInfo { hasPreviousPage startCursor }` instead of
 * `{ hasNextPage endCursor }`, and paginate-graphql follows whichever pair it finds.
 */
export type LocateConnection = (data: unknown) => {
  nodes?: unknown[] | null;
  totalCount?: unknown;
  pageInfo?: { hasNextPage?: unknown; endCursor?: unknown; hasPreviousPage?: unknown; startCursor?: unknown } | null;
} | null;

/** One page of a connection as read. */
export interface ConnectionPage {
  /** The page's nodes, in the connection's order (a page read from the end too). */
  nodes: unknown[];
  /** The connection's size when the query selects `totalCount`, else undefined. */
  totalCount: number | undefined;
  /** Whether a page follows in the direction of the read. */
  more: boolean;
  /** Where the read goes on from (`endCursor`, or `startCursor` from the end); null when no page follows. */
  cursor: string | null;
}

/** How `connectionRead` reads, beyond its query. */
export interface ConnectionReadOptions {
  /** Cuts the request in flight off from outside (the read then fails with the abort). */
  cancel?: AbortSignal;
  /** Reads the first page only, asking for no page after it. */
  firstPageOnly?: boolean;
  /** Pages of the connection read before this read goes on from `variables.cursor`: a connection gone now is gone mid-read. */
  pagesBefore?: number;
}

/**
 * Reads `data` along `keys`: the value, null where the path is null, undefined where it is missing.
 *
 * @example dig({ enterprise: { ownerInfo: null } }, "enterprise", "ownerInfo", "domains") // null
 */
export function dig(data: unknown, ...keys: string[]): unknown {
  let value = data;
  for (const key of keys) {
    if (value === null) return null;
    if (typeof value !== "object" || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A connection that was read for one page or more and then was gone: what was read is incomplete. */
export class ConnectionGoneError extends Error {
  override name = "ConnectionGoneError";
}

/**
 * Yields the nodes of each page of a cursor-paginated GraphQL connection: {@link connectionRead}
 * without the page's size and direction.
 *
 * @example
 *   for await (const nodes of connectionPages(client, QUERY, { enterprise }, meter, locate)) handle(nodes);
 */
export async function* connectionPages(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown>,
  meter: RequestMeter,
  locate: LocateConnection,
): AsyncGenerator<unknown[]> {
  for await (const page of connectionRead(client, query, variables, meter, locate)) yield page.nodes;
}

/**
 * Yields each page of a cursor-paginated GraphQL connection (the query takes `$cursor` and
 * selects `pageInfo { hasNextPage endCursor }`, or `{ hasPreviousPage startCursor }` to read it
 * from the end), at most two pages in memory.
 * The next page is asked for before a page's nodes are handed out: the pages can only be read
 * one after another, so validating and keying one page overlaps the next round trip instead of
 * adding to it. A caller that stops early (a bad node, an error of its own) cuts that request
 * off and waits for it to settle, so no request outlives the read and no retry, rate-limit wait
 * or wait for a slot in the client's concurrency bound is spent on a page nobody will read.
 * Stopping early thus costs at most one request more than a read without look-ahead.
 * A cursor that comes back to an earlier page (a broken server or proxy: A, B, A, …) stops the
 * read with an error naming the host; paginate-graphql catches only a cursor repeated at once.
 * paginate-graphql fails with `MissingPageInfo` when the path to the connection is null; `locate`
 * then decides whether that is an empty result (no provider) or an error (no access). Only the
 * first page may find no connection: one that is gone later fails the read, which is incomplete.
 *
 * @example
 *   for await (const { nodes, more } of connectionRead(client, QUERY, { enterprise }, meter, locate)) handle(nodes);
 */
export async function* connectionRead(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown>,
  meter: RequestMeter,
  locate: LocateConnection,
  options: ConnectionReadOptions = {},
): AsyncGenerator<ConnectionPage> {
  const { cancel, firstPageOnly = false, pagesBefore = 0 } = options;
  // A read that goes on from an earlier one knows the cursor it starts from: a page leading back there loops too.
  const cursors = new Set<unknown>(pagesBefore > 0 ? [variables.cursor] : []);
  const stop = new AbortController();
  const signal = cancel ? AbortSignal.any([stop.signal, cancel]) : stop.signal;
  const pages = client.graphql.paginate
    .iterator(query, { ...variables, request: { ...meter.tag(), signal } })
    [Symbol.asyncIterator]();
  // The page asked for while the one before is in the caller's hands; settled once awaited.
  let lookAhead: Promise<IteratorResult<unknown>> | undefined;
  const host = () => new URL(client.request.endpoint.DEFAULTS.baseUrl).host;
  // A connection that vanishes after its first page (a provider removed while it is read) would
  // leave a partial list looking whole: refused.
  const vanished = () =>
    new ConnectionGoneError(
      `GitHub ${host()}: the GraphQL connection was gone after ${pagesRead} page(s) had been read, so the list is incomplete; reading stopped. Run again later.`,
    );
  let pagesRead = pagesBefore;
  try {
    let page: IteratorResult<unknown> = await pages.next();
    while (!page.done) {
      let connection: ReturnType<LocateConnection>;
      try {
        connection = locate(page.value);
      } catch (error) {
        // Access was there for the pages before: an owner missing now is the connection gone, not a refusal.
        if (pagesRead > 0) throw vanished();
        throw error;
      }
      if (connection === null) {
        if (pagesRead > 0) throw vanished();
        return;
      }
      pagesRead += 1;
      const info = connection.pageInfo;
      // The same test paginate-graphql makes to tell a read from the end.
      const forward = info != null && Object.prototype.hasOwnProperty.call(info, "hasNextPage");
      const more = (forward ? info?.hasNextPage : info?.hasPreviousPage) === true;
      const cursor = more ? (forward ? info?.endCursor : info?.startCursor) : null;
      if (more) {
        // paginate-graphql would go on without one, from the first page again.
        if (typeof cursor !== "string" || cursor === "") {
          throw new Error(
            `GitHub ${host()}: GraphQL page ${pagesRead} said more pages follow but gave no cursor to them; reading stopped. Run again later; if it persists, check what answers at this address.`,
          );
        }
        if (cursors.has(cursor)) {
          throw new Error(
            `GitHub ${host()}: the GraphQL pages loop (page ${pagesRead}'s cursor leads back to an earlier page); reading stopped. Run again later; if it persists, check what answers at this address.`,
          );
        }
        cursors.add(cursor);
      }
      const read: ConnectionPage = {
        nodes: connection.nodes ?? [],
        totalCount: typeof connection.totalCount === "number" ? connection.totalCount : undefined,
        more,
        // A string whenever `more` (refused above otherwise), null at the end.
        cursor: cursor as string | null,
      };
      if (firstPageOnly) {
        yield read;
        return;
      }
      // paginate-graphql answers "done" at once, without a request, after the last page.
      lookAhead = pages.next();
      // Handled when awaited; until then a failure must not count as an unhandled rejection.
      lookAhead.catch(() => undefined);
      yield read;
      page = await lookAhead;
      lookAhead = undefined;
    }
  } catch (error) {
    if (error instanceof Error && error.name === "MissingPageInfo") {
      if (pagesRead > 0) throw vanished();
      if (locate((error as Error & { response?: unknown }).response) === null) return;
    }
    // paginate-graphql's own messages quote the answer (emails among it) or the cursor: replaced.
    if (error instanceof Error && (error.name === "MissingPageInfo" || error.name === "MissingCursorChangeError")) {
      // eslint-disable-next-line preserve-caught-error -- a cause would carry the quoted answer into logs
      throw new Error(
        `GitHub ${host()}: a GraphQL answer had ${error.name === "MissingPageInfo" ? "no pageInfo" : "the same cursor as the page before"}, so the pages cannot be followed; reading stopped. Run again later; if it persists, check what answers at this address.`,
      );
    }
    throw error;
  } finally {
    // Still set only when the caller left at the yield (or that page failed, which is settled).
    if (lookAhead) {
      stop.abort();
      await lookAhead.catch(() => undefined);
    }
  }
}

/**
 * `connectionRead` from the start whose first page comes from `queries.counted` (the same
 * connection, selecting `totalCount` as well) and the pages after it from `queries.rest`: GitHub
 * counts the whole connection for every page that asks, and only the first page's count is used.
 * The second page is asked for once the first is handed out (no look-ahead for it alone).
 *
 * @example
 *   const pages = countedConnectionRead(client, { counted: COUNTED, rest: QUERY }, { enterprise }, meter, locate, cancel);
 */
export async function* countedConnectionRead(
  client: GitHubClient,
  queries: { counted: string; rest: string },
  variables: Record<string, unknown>,
  meter: RequestMeter,
  locate: LocateConnection,
  cancel?: AbortSignal,
): AsyncGenerator<ConnectionPage> {
  let first: ConnectionPage | undefined;
  for await (const page of connectionRead(client, queries.counted, variables, meter, locate, {
    cancel,
    firstPageOnly: true,
  })) {
    first = page;
    yield page;
  }
  // A page that says more follow has a cursor to them (connectionRead refuses one without).
  if (!first?.more || first.cursor === null) return;
  yield* connectionRead(client, queries.rest, { ...variables, cursor: first.cursor }, meter, locate, {
    cancel,
    pagesBefore: 1,
  });
}
