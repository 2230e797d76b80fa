import type { ContentsBody } from "./contents-body.js";

/** Redirects of one write followed at most (GitHub moves a renamed repository's writes once). */
const MAX_REDIRECTS = 3;

/** What `putContents` needs of an Octokit: its `request`, called with a route given as text. */
export interface ContentsWriter {
  request: unknown;
}

/** Where a file is written. */
export interface ContentsTarget {
  owner: string;
  repo: string;
  path: string;
}

type Send = (
  route: string,
  parameters: Record<string, unknown>,
) => Promise<{ status: number; url: string; headers: Record<string, unknown>; data: unknown }>;

/**
 * `PUT /repos/{owner}/{repo}/contents/{path}` with a streamed body, redirects followed here.
 * GitHub answers a write to a renamed or transferred repository with a 307 to
 * `/repositories/{id}/…`; fetch replays a text body through a redirect but cannot replay a
 * streamed one, and failed with an empty message after sending the file once per retry. So
 * redirects come back to this function (`redirect: "manual"`), which sends the body again to
 * the new address on the same host, and refuses any other.
 *
 * @example await putContents(octokit, { owner, repo, path }, new ContentsBody({ message }, bytes));
 */
export async function putContents(octokit: ContentsWriter, target: ContentsTarget, body: ContentsBody): Promise<void> {
  // The route's own typing wants `content` as a string, so the call is typed loosely here.
  const send = octokit.request as Send;
  const parameters = {
    // `data` is the request's body as given: Octokit would otherwise build the JSON whole.
    data: body,
    headers: { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) },
    request: { redirect: "manual" },
  };
  let response = await send("PUT /repos/{owner}/{repo}/contents/{path}", { ...target, ...parameters });
  // Where GitHub may move this write: the same file of the same API, under the repository's id.
  // Anywhere else (another repository, a sign-in page) is refused: the body and token would follow.
  const moved = movedWrite(new URL(response.url));
  for (let redirects = 0; response.status === 307 || response.status === 308; redirects++) {
    const location = response.headers.location;
    const next =
      typeof location === "string" && URL.canParse(location, response.url) ? new URL(location, response.url) : null;
    const problem = !next
      ? "without an address"
      : next.origin !== new URL(response.url).origin
        ? "to another host"
        : !moved.test(next.pathname) || next.search !== ""
          ? "to another path than the same file's"
          : redirects >= MAX_REDIRECTS
            ? `more than ${MAX_REDIRECTS} times`
            : null;
    if (!next || problem)
      throw new Error(
        `GitHub redirected the commit of ${target.path} to ${owner(target)} ${problem} (${response.status}): ` +
          "if the repository was renamed or moved, configure its new name.",
      );
    response = await send(`PUT ${next.href}`, parameters);
  }
  // A commit answers 200 or 201 with the commit made; anything else (a 202, a proxy's page) committed nothing we know of.
  const committed =
    (response.status === 200 || response.status === 201) &&
    typeof response.data === "object" &&
    response.data !== null &&
    typeof (response.data as { commit?: unknown }).commit === "object";
  if (!committed)
    throw new Error(
      `GitHub answered the commit of ${target.path} to ${owner(target)} with ${response.status}` +
        `${response.status < 300 ? " but no commit" : ""}: nothing was committed. Check that the configured URL reaches the GitHub API itself, not a proxy or sign-in page.`,
    );
}

/**
 * `/repositories/{id}/…` of the same file as `url` (`/repos/{owner}/{repo}/contents/{path}`),
 * under the same API prefix: where GitHub moves a write to a renamed or transferred repository.
 */
function movedWrite(url: URL): RegExp {
  const at = url.pathname.indexOf("/repos/");
  // After `/repos/{owner}/{repo}`: a repository or a path may itself be named `contents`.
  const file = `/${url.pathname
    .slice(at + 1)
    .split("/")
    .slice(3)
    .join("/")}`;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escape(url.pathname.slice(0, at))}/repositories/\\d+${escape(file)}$`);
}

const owner = (target: ContentsTarget) => `${target.owner}/${target.repo}`;
