import type { ServerResponse } from "node:http";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Reply } from "./types.js";

/** GitHub's `x-github-request-id` shape: five hex groups, unique per request. */
export function requestId(seq: number): string {
  const hex = (n: number, w: number): string => (n >>> 0).toString(16).toUpperCase().padStart(w, "0").slice(-w);
  return `${hex(seq * 2654435761, 4)}:${hex(seq, 4)}:${hex(seq * 40503, 6)}:${hex(seq * 69069, 6)}:${hex(Math.floor(Date.now() / 1000), 8)}`;
}

/**
 * GitHub's pagination Link header: next/last while not on the last page, first/prev after the
 * first, each URL keeping the request's other query parameters.
 */
export function linkHeader(url: URL, page: number, lastPage: number, pageParam = "page"): string | undefined {
  const at = (n: number): string => {
    const copy = new URL(url);
    copy.searchParams.set(pageParam, String(n));
    return copy.toString();
  };
  const links: string[] = [];
  if (page < lastPage) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${at(Math.min(page - 1, lastPage))}>; rel="prev"`, `<${at(1)}>; rel="first"`);
  return links.length > 0 ? links.join(", ") : undefined;
}

/** Waits for `drain` or `close`, then removes both listeners (racing two `once` calls would leave one behind per wait). */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** The slow-body fault: headers are out; the body follows one byte every `trickleMs` until done or the client gives up. */
async function trickle(
  res: ServerResponse,
  reply: Reply,
  payload: string | undefined,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  res.flushHeaders();
  for (const chunk of reply.stream ?? [payload ?? ""]) {
    for (const byte of chunk) {
      await sleep(reply.trickleMs ?? 0);
      if (res.destroyed) return;
      res.write(byte);
    }
  }
  res.end();
}

/**
 * Writes a reply. Streams are written chunk by chunk, waiting for `drain`, and stop when the
 * client goes away, so a million-row report never sits in memory. Each chunk also gives the
 * event loop a turn: on loopback the kernel takes megabytes without pushing back, and a report
 * written in one go held every other request to this simulator for up to 1.7 s, which GitHub
 * serving a file never does.
 */
export async function sendReply(
  res: ServerResponse,
  reply: Reply,
  headers: Record<string, string>,
  /** What the slow-body fault waits on between bytes (the simulator's clock). */
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const all: Record<string, string> = { ...headers, ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    all["content-type"] ??= "application/json; charset=utf-8";
  } else if (reply.text !== undefined) {
    payload = reply.text;
    all["content-type"] ??= "text/plain; charset=utf-8";
  }
  if (payload !== undefined) all["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, all);
  if (reply.trickleMs !== undefined) return trickle(res, reply, payload, sleep);
  if (reply.stream) {
    for (const chunk of reply.stream) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drainOrClose(res);
      else await nextTurn();
    }
    res.end();
    return;
  }
  res.end(payload);
}
