import type { GitHubClient, RequestMeter } from "../../github/index.js";

/** A page's connection, or null when its owner has none (e.g. no SAML identity provider). */
export type LocateConnection = (
  data: unknown,
) => { nodes?: unknown[] | null; pageInfo?: { hasNextPage?: unknown; endCursor?: unknown } | null } | null;

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

/**
 * Yields the nodes of each page of a cursor-paginated GraphQL connection (the query takes
 * `$cursor` and selects `pageInfo { hasNextPage endCursor }`), one page in memory at a time.
 * A cursor that comes back to an earlier page (a broken server or proxy: A, B, A, …) stops the
 * read with an error naming the host; paginate-graphql catches only a cursor repeated at once.
 * paginate-graphql fails with `MissingPageInfo` when the path to the connection is null; `locate`
 * then decides whether that is an empty result (no provider) or an error (no access).
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
  const cursors = new Set<unknown>();
  try {
    for await (const data of client.graphql.paginate.iterator(query, { ...variables, request: meter.tag() })) {
      const connection = locate(data);
      if (connection === null) return;
      const next = connection.pageInfo;
      if (next?.hasNextPage === true) {
        if (cursors.has(next.endCursor)) {
          throw new Error(
            `GitHub ${new URL(client.request.endpoint.DEFAULTS.baseUrl).host}: the GraphQL pages loop (a page's cursor leads back to an earlier page); reading stopped. Run again later; if it persists, check what answers at this address.`,
          );
        }
        cursors.add(next.endCursor);
      }
      yield connection.nodes ?? [];
    }
  } catch (error) {
    if (
      error instanceof Error &&
      error.name === "MissingPageInfo" &&
      locate((error as Error & { response?: unknown }).response) === null
    )
      return;
    throw error;
  }
}
