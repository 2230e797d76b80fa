/**
 * One HTTP request through fetch, with the answer read whole. Not node:http: test files that use
 * nock leave its ClientRequest interception (and `disableNetConnect`) behind in a Jest worker,
 * which would refuse these loopback requests; nock leaves fetch alone.
 */
export async function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(url, { method: options.method ?? "GET", headers: options.headers, body: options.body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}
