/** GitHub's "Simple User" object; `api` is the REST root, `web` the HTML root. */
export function simpleUser(
  api: string,
  web: string,
  login: string,
  id: number,
  type: string,
  siteAdmin = false,
): Record<string, unknown> {
  const user = `${api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: Buffer.from(`04:${type}${id}`).toString("base64"),
    avatar_url: `${web}/avatars/u/${id}`,
    gravatar_id: "",
    url: user,
    html_url: `${web}/${encodeURIComponent(login)}`,
    followers_url: `${user}/followers`,
    following_url: `${user}/following{/other_user}`,
    gists_url: `${user}/gists{/gist_id}`,
    starred_url: `${user}/starred{/owner}{/repo}`,
    subscriptions_url: `${user}/subscriptions`,
    organizations_url: `${user}/orgs`,
    repos_url: `${user}/repos`,
    events_url: `${user}/events{/privacy}`,
    received_events_url: `${user}/received_events`,
    type,
    site_admin: siteAdmin,
  };
}
