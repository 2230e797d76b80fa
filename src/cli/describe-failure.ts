import { publicText, scrubText } from "../privacy/index.js";

/** `GET ghes-a.corp.example`: the method and host of a failed request, never its path, query or headers. */
function requestOf(request: { method?: string; url?: string } | undefined): string {
  if (!request?.url) return "";
  let host: string;
  try {
    host = new URL(request.url).host;
  } catch {
    return "";
  }
  return ` (${request.method ?? "GET"} ${host})`;
}

/**
 * One readable line for a failed run: the error, what it was doing (the request's method and
 * host: paths and queries are internal, headers secret) and the causes underneath (`fetch failed` alone says nothing; `ECONNREFUSED
 * 127.0.0.1:9` does). Each text made public (`publicText`: a server's answer can quote emails,
 * tokens, internal URLs). The stack only with LOG_LEVEL=debug.
 */
export function describeFailure(error: unknown, env = process.env): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as {
      message?: string;
      code?: string;
      request?: { method?: string; url?: string };
      cause?: unknown;
    };
    const request = requestOf(e.request);
    const message = publicText(e.message ?? String(current));
    const text = `${message}${e.code && !String(e.message).includes(e.code) ? ` [${e.code}]` : ""}${request}`;
    // A cause the text so far already quotes (unreachableError names its causes) adds nothing.
    if (!parts.includes(text) && !(depth > 0 && parts.join(": ").includes(message))) parts.push(text);
    current = e.cause;
  }
  const stack =
    env.LOG_LEVEL === "debug" && error instanceof Error
      ? `\n${scrubText(error.stack ?? "")}`
      : "\nRun again with LOG_LEVEL=debug for details.";
  return `${parts.join(": ")}${stack}`;
}
