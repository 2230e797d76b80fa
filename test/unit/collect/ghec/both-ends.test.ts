import { describe, expect, it } from "@jest/globals";
import { ReadsDidNotMeetError, readFromBothEnds, type PagePlace } from "../../../../src/collect/ghec/both-ends.js";
import type { ConnectionPage } from "../../../../src/collect/ghec/graphql-pages.js";

interface Node {
  guid?: string;
  n: number;
}

interface FakeOptions {
  /** Milliseconds each page from that end takes (abortable). */
  delay?: { start: number; end: number };
  /** Leave `totalCount` out of the pages, as a query that does not select it. */
  noTotalCount?: boolean;
  /** Fail the page with this number from the end. */
  failFromEnd?: number;
  /** Nodes without guid. */
  noGuid?: boolean;
  /**
   * The start read's second page waits until the end read has been asked for this many pages, so
   * it has taken the ones before: the order of the two reads, not left to timers under load.
   */
  startWaitsForEnd?: number;
  /** Changes a page as served (page numbers count from the end read), or ends that read there ("stop"). */
  alter?: (fromEnd: boolean, page: number, served: ConnectionPage) => ConnectionPage | "stop";
}

/**
 * A connection of `count` nodes read the way GitHub serves `first`/`after` and `last`/`before`
 * pages of 100, recording what each end asked for and whether each read was closed and cancelled.
 */
function fakeConnection(count: number, options: FakeOptions = {}) {
  const nodes: Node[] = Array.from({ length: count }, (_, n) => (options.noGuid ? { n } : { guid: `g${n}`, n }));
  const asked = { start: 0, end: 0 };
  const closed = { start: false, end: false };
  const cancelled = { start: false, end: false };
  const wait = (ms: number, cancel: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (ms === 0) return void setImmediate(resolve);
      const abort = () => {
        clearTimeout(timer);
        reject(new Error("aborted"));
      };
      const timer = setTimeout(() => {
        cancel.removeEventListener("abort", abort);
        resolve();
      }, ms);
      cancel.addEventListener("abort", abort, { once: true });
    });
  async function* open(fromEnd: boolean, cancel: AbortSignal): AsyncGenerator<ConnectionPage> {
    const side = fromEnd ? "end" : "start";
    cancel.addEventListener("abort", () => (cancelled[side] = true));
    try {
      for (let page = 0; ; page++) {
        const lo = fromEnd ? Math.max(0, count - (page + 1) * 100) : page * 100;
        const hi = fromEnd ? count - page * 100 : Math.min(count, (page + 1) * 100);
        asked[side] += 1;
        await wait(options.delay?.[side] ?? 0, cancel);
        if (!fromEnd && page === 1 && options.startWaitsForEnd !== undefined)
          while (asked.end < options.startWaitsForEnd) await new Promise((resolve) => setImmediate(resolve));
        if (fromEnd && options.failFromEnd === page + 1) throw new Error(`page ${page + 1} from the end failed`);
        const more = fromEnd ? lo > 0 : hi < count;
        const served: ConnectionPage = {
          nodes: nodes.slice(lo, hi),
          totalCount: options.noTotalCount ? undefined : count,
          more,
          cursor: more ? `${side}-${page + 1}` : null,
        };
        const altered = options.alter?.(fromEnd, page + 1, served) ?? served;
        if (altered === "stop") return;
        yield altered;
        if (!altered.more) return;
      }
    } finally {
      closed[side] = true;
    }
  }
  const places: PagePlace[] = [];
  const read = () =>
    readFromBothEnds<number>({
      open,
      pageSize: 100,
      label: "the connection",
      keyOf(node, place, index) {
        const guid = (node as Node).guid;
        if (guid === undefined)
          throw new Error(`${place.fromEnd ? "end" : "start"} page ${place.page}, node ${index}: no guid`);
        return guid;
      },
      take(node, place) {
        places.push(place);
        return (node as Node).n;
      },
    });
  return { nodes, asked, closed, cancelled, places, read };
}

const range = (count: number) => Array.from({ length: count }, (_, n) => n);

describe("readFromBothEnds", () => {
  it.each([0, 1, 99, 100, 101, 200, 201, 250, 300, 301, 650, 1000, 1234])(
    "returns each of %i nodes once, in the connection's order, in about half the rounds",
    async (count) => {
      const fake = fakeConnection(count);
      expect(await fake.read()).toEqual(range(count));
      const pages = Math.max(1, Math.ceil(count / 100));
      const asked = fake.asked.start + fake.asked.end;
      if (count <= 200) {
        // Two pages or fewer: from the start only, exactly its pages.
        expect(fake.asked).toEqual({ start: pages, end: 0 });
      } else {
        expect(fake.asked.end).toBeGreaterThan(0);
        // At most the overlapping page and one look-ahead more than a read from one end.
        expect(asked).toBeLessThanOrEqual(pages + 2);
        // Neither end asks for more than about half the pages one after another.
        expect(Math.max(fake.asked.start, fake.asked.end)).toBeLessThanOrEqual(Math.ceil(pages / 2) + 1);
      }
      expect(fake.closed.start).toBe(true);
      expect(fake.closed.end).toBe(count > 200);
    },
  );

  it("reads from the start only when the query does not report the connection's size", async () => {
    const fake = fakeConnection(1000, { noTotalCount: true, noGuid: true });
    expect(await fake.read()).toEqual(range(1000));
    expect(fake.asked).toEqual({ start: 10, end: 0 });
  });

  it("ends when one end has read the whole connection while the other is stuck, and cuts the stuck one off", async () => {
    const fake = fakeConnection(700, { delay: { start: 0, end: 60_000 } });
    expect(await fake.read()).toEqual(range(700));
    expect(fake.asked).toEqual({ start: 7, end: 1 });
    expect(fake.cancelled.end).toBe(true);
    expect(fake.closed.end).toBe(true);
  });

  it("fails as a whole when a page from the end fails, and stops the read from the start", async () => {
    const fake = fakeConnection(5000, { delay: { start: 5, end: 1 }, failFromEnd: 3 });
    await expect(fake.read()).rejects.toThrow("page 3 from the end failed");
    expect(fake.cancelled.start).toBe(true);
    expect(fake.closed).toEqual({ start: true, end: true });
    // Stopped long before the start had read its half.
    expect(fake.asked.start).toBeLessThan(25);
  });

  it("fails on a node without a key once both ends are read: the meeting point could not be told", async () => {
    const fake = fakeConnection(500, { noGuid: true });
    await expect(fake.read()).rejects.toThrow("start page 1, node 0: no guid");
    expect(fake.closed).toEqual({ start: true, end: true });
  });

  it("tells each node where it was read, counting pages from the end they were read from", async () => {
    const fake = fakeConnection(450);
    await fake.read();
    const pagesFrom = (fromEnd: boolean) => [
      ...new Set(fake.places.filter((p) => p.fromEnd === fromEnd).map((p) => p.page)),
    ];
    // Pages 1, 2, … from each end, with no gap, and every node taken once.
    for (const fromEnd of [false, true]) {
      const pages = pagesFrom(fromEnd);
      expect(pages.length).toBeGreaterThan(0);
      expect(pages).toEqual(range(pages.length).map((n) => n + 1));
    }
    expect(fake.places).toHaveLength(450);
  });

  describe("refuses, rather than returns as whole, a read whose two ends did not meet as one steady connection's do", () => {
    it.each<[string, FakeOptions["alter"], RegExp, FakeOptions["delay"]?, FakeOptions["startWaitsForEnd"]?]>([
      [
        "the connection is gone on the end's first page (an empty page that says it is the only one)",
        (fromEnd, page, served) => (fromEnd && page === 1 ? { ...served, nodes: [], more: false } : served),
        /page 1 from the end: the read from the end stopped before it met the read from the start/,
      ],
      [
        "the read from the end stops early (no previous page, said too soon)",
        (fromEnd, page, served) => (fromEnd && page === 2 ? { ...served, more: false } : served),
        /page 2 from the end: the read from the end stopped before it met/,
      ],
      [
        "the read from the end ends without a page",
        (fromEnd, page, served) => (fromEnd && page === 3 ? "stop" : served),
        /the read from the end stopped before it met/,
      ],
      [
        "the read from the start stops short (no next page, said too soon) after the end read took pages",
        (fromEnd, page, served) => (!fromEnd && page === 2 ? { ...served, more: false } : served),
        /page 2: the read from the start stopped before it met the read from the end/,
        undefined,
        2,
      ],
      [
        "the read from the start ends on an empty page after the end read took pages",
        (fromEnd, page, served) => (!fromEnd && page === 2 ? { ...served, nodes: [], more: false } : served),
        /page 2: the read from the start stopped before it met/,
        undefined,
        2,
      ],
      [
        "the read from the start stops short while the end read has taken nothing (it stalled)",
        (fromEnd, page, served) => (!fromEnd && page === 2 ? { ...served, more: false } : served),
        /page 2: the read from the start stopped before it met the read from the end/,
        { start: 0, end: 60_000 },
      ],
      [
        "a node near the end carries the guid of a node near the start",
        (fromEnd, page, served) =>
          fromEnd && page === 1
            ? {
                ...served,
                nodes: served.nodes.map((n) => ((n as Node).n === 950 ? { ...(n as Node), guid: "g5" } : n)),
              }
            : served,
        /the reads overlap away from where they stand/,
      ],
      [
        "one read serves a node twice (an identity added before its cursor shifted the pages)",
        (fromEnd, page, served) =>
          !fromEnd && page === 3
            ? { ...served, nodes: [{ guid: "g199", n: 199 }, ...served.nodes.slice(0, 99)] }
            : served,
        /page 3: nodes\[0\] was read before from the same end/,
        { start: 1, end: 1 },
      ],
    ])("%s", async (_, alter, message, delay = { start: 10, end: 1 }, startWaitsForEnd = undefined) => {
      // By default the end read is quicker; where it matters that it has taken pages when the start
      // read stops short, the start read waits for it (startWaitsForEnd).
      const error = await fakeConnection(1000, { alter, delay, startWaitsForEnd })
        .read()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReadsDidNotMeetError);
      expect((error as Error).message).toMatch(message);
    });
  });
});
