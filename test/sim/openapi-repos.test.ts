import { APP_ID, appJwt, as, installationToken, startAppSimulator } from "./app-fixture.js";
import { call } from "./http-client.js";
import { responseSchemas, validatorFor } from "./openapi.js";
import type { Simulator } from "./server.js";

const OPS = {
  createIssue: "post /repos/{owner}/{repo}/issues 201",
  getIssue: "get /repos/{owner}/{repo}/issues/{issue_number} 200",
  listIssues: "get /repos/{owner}/{repo}/issues 200",
  createComment: "post /repos/{owner}/{repo}/issues/{issue_number}/comments 201",
  createReaction: "post /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions 201",
  createLabel: "post /repos/{owner}/{repo}/labels 201",
  getContent: "get /repos/{owner}/{repo}/contents/{path} 200",
  putContent: "put /repos/{owner}/{repo}/contents/{path} 201",
  search: "get /search/issues 200",
  permission: "get /repos/{owner}/{repo}/collaborators/{username}/permission 200",
  repoInstallation: "get /repos/{owner}/{repo}/installation 200",
  installations: "get /app/installations 200",
  accessToken: "post /app/installations/{installation_id}/access_tokens 201",
  team: "get /orgs/{org}/teams/{team_slug}/memberships/{username} 200",
  commitComment: "post /repos/{owner}/{repo}/commits/{commit_sha}/comments 201",
  repo: "get /repos/{owner}/{repo} 200",
} as const;
const schemas = responseSchemas("api.github.com.deref.json", Object.values(OPS));
const check = (op: keyof typeof OPS, body: unknown) => expect(validatorFor(schemas[OPS[op]] ?? {})(body)).toEqual([]);

let sim: Simulator;
beforeAll(async () => {
  sim = await startAppSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe("api.github.com responses match GitHub's OpenAPI description (api.github.com.deref.json)", () => {
  test("App side: installations, repository installation, access token", async () => {
    const jwt = { bearer: appJwt(APP_ID) };
    check("installations", (await call(`${sim.url}/app/installations`, jwt)).json);
    check("repoInstallation", (await call(`${sim.url}/repos/acme/license-admin/installation`, jwt)).json);
    const token = await call(`${sim.url}/app/installations/11/access_tokens`, { ...jwt, method: "POST" });
    expect(token.status).toBe(201);
    check("accessToken", token.json);
  });

  test("issues, comments, reactions, labels, search", async () => {
    const api = as(await installationToken(sim, 11));
    const base = `${sim.url}/repos/acme/license-admin`;
    const issue = await api(`${base}/issues`, {
      method: "POST",
      body: { title: "License usage 2026-W48", body: "<!-- marker -->", labels: ["license-sync"] },
    });
    check("createIssue", issue.json);
    check("getIssue", (await api(`${base}/issues/1`)).json);
    check("listIssues", (await api(`${base}/issues?labels=license-sync`)).json);
    const comment = await api(`${base}/issues/1/comments`, { method: "POST", body: { body: "hello" } });
    check("createComment", comment.json);
    check(
      "createReaction",
      (
        await api(`${base}/issues/comments/${(comment.json as { id: number }).id}/reactions`, {
          method: "POST",
          body: { content: "eyes" },
        })
      ).json,
    );
    check(
      "createLabel",
      (await api(`${base}/labels`, { method: "POST", body: { name: "license-sync:divergence", color: "d93f0b" } }))
        .json,
    );
    const search = await api(
      `${sim.url}/search/issues?q=${encodeURIComponent('repo:acme/license-admin is:issue in:body "marker"')}`,
    );
    expect((search.json as { total_count: number }).total_count).toBe(1);
    check("search", search.json);
  });

  test("contents, commit comments, permissions, teams, repository", async () => {
    const api = as(await installationToken(sim, 11));
    const base = `${sim.url}/repos/acme/license-admin`;
    check("getContent", (await api(`${base}/contents/.github/license-sync.yml`)).json);
    const put = await api(`${base}/contents/license-usage/2026-W48.json`, {
      method: "PUT",
      body: { message: "usage", content: Buffer.from("{}").toString("base64") },
    });
    expect(put.status).toBe(201);
    check("putContent", put.json);
    const sha = (put.json as { commit: { sha: string } }).commit.sha;
    check(
      "commitComment",
      (await api(`${base}/commits/${sha}/comments`, { method: "POST", body: { body: "read the usage file" } })).json,
    );
    check("permission", (await api(`${base}/collaborators/hubot/permission`)).json);
    check("team", (await api(`${sim.url}/orgs/acme/teams/license-admins/memberships/mona`)).json);
    check("repo", (await api(base)).json);
  });
});
