/**
 * Hidden HTML-comment markers that find the app's issues again. Titles can be edited by anyone;
 * the first line of the body is ours, so issues are matched by marker, never by title.
 *
 *   <!-- license-sync:divergence kind=stale-sync subject=ghes-a enterprise=acme -->
 *   <!-- license-sync:summary week=2026-W48 enterprise=acme -->
 *   <!-- license-sync:reply run=acme-20261130T060000Z-k3f9q -->   (a command reply, on its comment)
 *   <!-- license-sync:comment run=acme-20261130T060000Z-k3f9q --> (a run's comment on an issue)
 */

export type MarkerType = "divergence" | "summary" | "reply" | "comment";

export interface Marker {
  type: MarkerType;
  fields: Record<string, string>;
}

const MARKER = /<!--\s*license-sync:(divergence|summary|reply|comment)((?:\s+[a-z]+=[^\s>]*)*)\s*-->/;
const STATE = /<!--\s*license-sync:state\s+([A-Za-z0-9_-]+)\s*-->/;

/**
 * The marker comment; values are URI-encoded so a space or `-->` can never break it.
 *
 * @example marker("summary", { week: "2026-W48", enterprise: "acme" }) // "<!-- license-sync:summary week=2026-W48 enterprise=acme -->"
 */
export function marker(type: MarkerType, fields: Record<string, string | undefined>): string {
  const pairs = Object.entries(fields).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
  );
  return `<!-- license-sync:${type} ${pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join(" ")} -->`;
}

/**
 * The first marker in a body, or null.
 *
 * @example parseMarker(issue.body)?.fields.kind // "stale-sync"
 */
export function parseMarker(body: string | null | undefined): Marker | null {
  const match = MARKER.exec(body ?? "");
  if (!match) return null;
  const fields: Record<string, string> = {};
  for (const pair of (match[2] ?? "").trim().split(/\s+/).filter(Boolean)) {
    const at = pair.indexOf("=");
    try {
      fields[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
    } catch {
      fields[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return { type: match[1] as MarkerType, fields };
}

/**
 * Machine state kept in the body (figures last posted, first-seen run...), base64url JSON so no
 * value can close the comment early.
 *
 * @example stateComment({ figures: { over: 3 } }) // "<!-- license-sync:state eyJ... -->"
 */
export function stateComment(state: object): string {
  return `<!-- license-sync:state ${Buffer.from(JSON.stringify(state)).toString("base64url")} -->`;
}

/** The state a body carries, or null when absent or unreadable (a hand-edited body). */
export function parseState<T>(body: string | null | undefined): Partial<T> | null {
  const match = STATE.exec(body ?? "");
  if (!match?.[1]) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(match[1], "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Partial<T>) : null;
  } catch {
    return null;
  }
}
