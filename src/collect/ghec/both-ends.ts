import type { ConnectionPage } from "./graphql-pages.js";

/** Where a node was read: from which end of the connection, on which page counted from there (1 = first). */
export interface PagePlace {
  /** True for a page read from the end (`last`/`before`). */
  fromEnd: boolean;
  /** The page's number counted from the end it was read from. */
  page: number;
}

/** One connection read from both ends at once. */
export interface BothEndsRead<T> {
  /**
   * Opens the read from the start (`first`/`after`) or from the end (`last`/`before`). The first
   * page from the start reports `totalCount`: without it the connection is read from the start
   * only. `cancel` cuts the request in flight off once the two reads have met.
   */
  open(fromEnd: boolean, cancel: AbortSignal): AsyncGenerator<ConnectionPage>;
  /** The node's identity in the connection (GraphQL `guid` or `id`); throws for a node without one. */
  keyOf(node: unknown, place: PagePlace, index: number): string;
  /** Validates a node and turns it into what the caller keeps; throws for a node it cannot read. */
  take(node: unknown, place: PagePlace, index: number): T;
  /** Nodes a full page holds (the query's `first` and `last`). */
  pageSize: number;
  /** What is read, for messages: `GraphQL enterprise(slug: "acme").externalIdentities`. */
  label: string;
}

/**
 * The two reads did not meet as the pages of one steady connection do: a key taken twice by the
 * same read, an overlap that is not where the reads stand, or a read that stopped short of the
 * other. The connection changed while it was read (or repeats a key): what was read cannot be
 * told whole, so nothing is returned. Retrying reads it afresh.
 */
export class ReadsDidNotMeetError extends Error {
  override name = "ReadsDidNotMeetError";
}

/** "page 3" from the start, "page 3 from the end" from the end: where an admin finds the node. */
export const pageName = (place: PagePlace) => `page ${place.page}${place.fromEnd ? " from the end" : ""}`;

interface End {
  fromEnd: boolean;
  pages: AsyncGenerator<ConnectionPage>;
  page: number;
  next?: Promise<{ end: End; result: IteratorResult<ConnectionPage> }>;
}

/**
 * Reads a cursor-paginated GraphQL connection from its start and from its end at the same time
 * and stops both reads where they meet, so a connection of n pages takes about n/2 round trips
 * one after another instead of n. GraphQL cursors cannot jump to the middle, and the pages of
 * one direction can only be asked one after another; a large connection (an enterprise's SAML
 * identities: over a thousand pages at 300,000 users) is bound by latency, not by work.
 *
 * Steps:
 *  1. Read the first page from the start. A connection of two pages or fewer, or one whose
 *     query does not report `totalCount`, is read from the start only, as before.
 *  2. Otherwise read from the end as well; whichever page arrives first is taken first.
 *  3. The reads have met when a page holds a node the other read has already taken (by key):
 *     what the two have taken is the whole connection. The overlap must be where the reads
 *     stand: the page's last nodes from the start are the first the end read took, or the page's
 *     first nodes from the end are the last the start read took. The read from the start may
 *     reach the end by itself only while the end read has taken nothing (it stalled), and with
 *     as many nodes as the first page's `totalCount`; the read from the end cannot reach the
 *     start without meeting the start's first page. Either read
 *     stopping short of the other is refused. Both reads stop there, and the page in flight is
 *     cut off.
 *  4. The nodes come back in the connection's order: the pages from the start, then those from
 *     the end in reverse, each node once (the overlap of the last two pages is dropped).
 *
 * A failure on either side fails the read and stops the other; nothing partial is returned. A
 * key taken twice by one read, an overlap away from where the reads stand, or a read that stops
 * short of the other fails it with ReadsDidNotMeetError: the connection changed, or repeats a
 * key, and what was read cannot be told whole. The cost over a read from the start alone: the
 * overlapping page and the cut-off look-ahead pages.
 *
 * @example
 *   const identities = await readFromBothEnds({ open, keyOf: (node) => guidOf(node), take: toIdentity, pageSize: 100, label: "GraphQL …" });
 */
export async function readFromBothEnds<T>(read: BothEndsRead<T>): Promise<T[]> {
  const cancel = new AbortController();
  const fromStart: T[] = [];
  const fromEnd: T[][] = [];
  // Which end took each node, once both ends are read; empty (and unused) for a read from the start only.
  const takenBy = new Map<string, boolean>();
  let keyed = false;
  let met = false;
  // Where the reads stand: the last key the start read took, the first the end read took.
  let startFrontier: string | undefined;
  let endFrontier: string | undefined;
  const refuse = (place: PagePlace, what: string) =>
    new ReadsDidNotMeetError(
      `${read.label}, ${pageName(place)}: ${what}; the connection changed while it was read from both ends, so the list cannot be told whole. Run again.`,
    );
  const take = (end: End, page: ConnectionPage) => {
    end.page += 1;
    const place: PagePlace = { fromEnd: end.fromEnd, page: end.page };
    const kept: T[] = [];
    const keys: string[] = [];
    // Indexes of the nodes the other read has taken: where the reads meet.
    const overlap: number[] = [];
    for (let index = 0; index < page.nodes.length; index++) {
      const node = page.nodes[index];
      if (keyed) {
        const key = read.keyOf(node, place, index);
        keys.push(key);
        const by = takenBy.get(key);
        if (by === end.fromEnd) throw refuse(place, `nodes[${index}] was read before from the same end`);
        if (by !== undefined) {
          overlap.push(index);
          continue;
        }
        takenBy.set(key, end.fromEnd);
      }
      kept.push(read.take(node, place, index));
    }
    if (overlap.length > 0) {
      // From the start the overlap is the page's tail and begins at the end read's first key;
      // from the end it is the page's head and ends at the start read's last key.
      const first = overlap[0]!;
      const last = overlap.at(-1)!;
      const contiguous = last - first + 1 === overlap.length;
      const inPlace = end.fromEnd
        ? first === 0 && keys[last] === startFrontier
        : last === keys.length - 1 && keys[first] === endFrontier;
      if (!contiguous || !inPlace) throw refuse(place, "the reads overlap away from where they stand");
      met = true;
    }
    if (keys.length > 0) {
      if (end.fromEnd) endFrontier = keys[0];
      else startFrontier = keys.at(-1);
    }
    if (end.fromEnd) fromEnd.push(kept);
    else for (const value of kept) fromStart.push(value);
  };
  const pull = (end: End) => {
    const next = end.pages.next().then((result) => ({ end, result }));
    // Settled in the race or in `finally`; a failure meanwhile is no unhandled rejection.
    next.catch(() => undefined);
    end.next = next;
  };

  const start: End = { fromEnd: false, pages: read.open(false, cancel.signal), page: 0 };
  const ends: End[] = [start];
  try {
    const first = await start.pages.next();
    if (first.done) return [];
    const { more, totalCount } = first.value;
    if (more && totalCount !== undefined && totalCount > 2 * read.pageSize) {
      keyed = true;
      const last: End = { fromEnd: true, pages: read.open(true, cancel.signal), page: 0 };
      ends.push(last);
      pull(last);
    }
    take(start, first.value);
    pull(start);
    while (!met) {
      const { end, result } = await Promise.race(ends.map((each) => each.next!));
      if (result.done) {
        // From the start, the end is reached only through what the end read took: a read that
        // stops first has stopped short (a gap may lie between). One that stops before the end
        // read took anything (it stalled) is trusted only with as many nodes as the first page
        // counted: which of two pages in flight is taken first is up to timing, so a start read
        // that ends short must be refused whether or not the end read's page came in first.
        const short = keyed && totalCount !== undefined && fromStart.length < totalCount;
        if (!end.fromEnd && (endFrontier !== undefined || short))
          throw refuse(
            { fromEnd: false, page: end.page },
            "the read from the start stopped before it met the read from the end",
          );
        // From the end, it would have met the start's first page, taken before it began.
        if (end.fromEnd)
          throw refuse(
            { fromEnd: true, page: end.page },
            "the read from the end stopped before it met the read from the start",
          );
        break;
      }
      take(end, result.value);
      if (met) break;
      pull(end);
    }
  } finally {
    cancel.abort();
    for (const end of ends) {
      await end.next?.catch(() => undefined);
      await end.pages.return(undefined).catch(() => undefined);
    }
  }
  for (let page = fromEnd.length - 1; page >= 0; page--) for (const value of fromEnd[page]!) fromStart.push(value);
  return fromStart;
}
