/** What tests need from an answer. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, undefined when the body is not JSON. */
  json: unknown;
}

/** Options of `call`. */
export interface CallOptions {
  method?: string;
  /** Sent as `Authorization: token ...`. */
  token?: string;
  /** Sent as `Authorization: Bearer ...` (App JWTs). */
  bearer?: string;
  /** Sent as HTTP basic auth. */
  basic?: { login: string; password: string };
  body?: unknown;
  signal?: AbortSignal;
}

/** A small fetch wrapper for simulator tests (no Octokit: these tests check the wire itself). */
export async function call(url: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (options.token) headers.authorization = `token ${options.token}`;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.basic)
    headers.authorization = `Basic ${Buffer.from(`${options.basic.login}:${options.basic.password}`).toString("base64")}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  // Buffer decoding keeps a UTF-8 BOM, which `response.text()` would silently drop.
  const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Parses a Link header into `{ next: url, last: url, ... }`. */
export function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? "").split(",")) {
    const found = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (found?.[1] && found[2]) links[found[2]] = found[1];
  }
  return links;
}
