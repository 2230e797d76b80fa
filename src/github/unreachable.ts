import { httpStatusOf } from "./http-errors.js";

/** Network failures (no HTTP answer): connection refused, DNS, TLS, timeouts. */
const NETWORK =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|CERT|SSL|socket hang up|fetch failed|timed? ?out|other side closed/i;

function causeText(error: unknown): string {
  const parts: string[] = [];
  for (
    let current = error as { message?: string; code?: string; cause?: unknown } | undefined, depth = 0;
    current && depth < 5;
    depth++
  ) {
    const text = `${current.message ?? ""}${current.code && !String(current.message).includes(current.code) ? ` [${current.code}]` : ""}`;
    if (text && !parts.includes(text)) parts.push(text);
    current = current.cause as typeof current;
  }
  return parts.join(": ");
}

/**
 * True when a request failed without GitHub answering (Octokit reports those as status 500 with
 * the fetch error as cause, or as a plain error).
 */
export function isUnreachable(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined && status !== 500) return false;
  return NETWORK.test(causeText(error));
}

/**
 * An error that names the config key holding the URL a request could not reach, so the operator
 * knows which setting to check (`servers[0].url`, `cloud.apiUrl`); the cause stays attached.
 *
 * @example throw unreachableError(error, "servers[0].url");
 */
export function unreachableError(error: unknown, urlKey: string): Error {
  const url = (error as { request?: { url?: string } }).request?.url;
  // The host only: request URLs may already be reduced to it, and paths say nothing here.
  const where = url ? ` (${URL.canParse(url) && /^https?:/.test(url) ? new URL(url).host : url.split("/")[0]})` : "";
  return new Error(
    `cannot reach the host of ${urlKey}${where}: ${causeText(error)}. Check ${urlKey} in the deployment config and that this machine can connect to it.`,
    { cause: error },
  );
}

/** `unreachableError` for network failures; every other error unchanged. */
export function nameUnreachable(error: unknown, urlKey: string): unknown {
  return isUnreachable(error) ? unreachableError(error, urlKey) : error;
}
