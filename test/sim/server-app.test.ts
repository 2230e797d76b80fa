import { generateKeyPairSync } from "node:crypto";
import { Probot } from "probot";
import { APP_ID, appJwt, installationToken, startAppSimulator } from "./app-fixture.js";
import { call } from "./http-client.js";
import type { Simulator } from "./server.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startAppSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe("GitHub App authentication", () => {
  test("Probot's real auth flow: JWT -> repository installation -> installation token -> issue as the bot", async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const probot = new Probot({ appId: APP_ID, privateKey, baseUrl: sim.url, logLevel: "fatal" });
    const app = await probot.auth();
    const { data: installation } = await app.rest.apps.getRepoInstallation({ owner: "acme", repo: "license-admin" });
    expect(installation.id).toBe(11);
    const octokit = await probot.auth(installation.id);
    const { data: issue } = await octokit.rest.issues.create({
      owner: "acme",
      repo: "license-admin",
      title: "From Probot",
    });
    expect(issue.user?.login).toBe("license-sync[bot]");
    expect(sim.repo("acme", "license-admin").issues.at(-1)).toEqual(
      expect.objectContaining({ title: "From Probot", user: "license-sync[bot]" }),
    );
    expect(sim.counts()["POST /app/installations/{installation_id}/access_tokens"]).toBe(1);
  });

  test("App routes take only a JWT with the App's id, repository routes never a JWT", async () => {
    expect((await call(`${sim.url}/app/installations`, { bearer: appJwt() })).status).toBe(200);
    expect((await call(`${sim.url}/app/installations`, { bearer: appJwt(999) })).status).toBe(401);
    expect((await call(`${sim.url}/app/installations`, { bearer: appJwt(APP_ID, -120) })).status).toBe(401);
    expect((await call(`${sim.url}/app/installations`, { token: "ghp-admin" })).status).toBe(401);
    expect((await call(`${sim.url}/repos/acme/license-admin/issues`, { bearer: appJwt() })).status).toBe(401);
  });

  test("installation lookups: by repository, by organization, unknown ones 404", async () => {
    const jwt = { bearer: appJwt() };
    expect(((await call(`${sim.url}/orgs/globex/installation`, jwt)).json as { id: number }).id).toBe(22);
    expect((await call(`${sim.url}/orgs/initech/installation`, jwt)).status).toBe(404);
    expect((await call(`${sim.url}/repos/acme/nope/installation`, jwt)).status).toBe(404);
    expect((await call(`${sim.url}/app/installations/999/access_tokens`, { ...jwt, method: "POST" })).status).toBe(404);
    const list = (await call(`${sim.url}/app/installations`, jwt)).json as Array<{
      id: number;
      account: { login: string };
    }>;
    expect(list.map((i) => [i.id, i.account.login])).toEqual([
      [11, "acme"],
      [22, "globex"],
    ]);
  });

  test("an installation token reaches only its installation's repositories, with its permissions", async () => {
    const acme = await installationToken(sim, 11);
    const globex = await installationToken(sim, 22);
    expect((await call(`${sim.url}/repos/acme/license-admin`, { token: acme })).status).toBe(200);
    // Another account's repository is invisible, not forbidden.
    expect((await call(`${sim.url}/repos/globex/other`, { token: acme })).status).toBe(404);
    expect((await call(`${sim.url}/repos/globex/other/issues`, { token: globex })).status).toBe(200);
    const readOnly = await call(`${sim.url}/repos/globex/other/issues`, {
      token: globex,
      method: "POST",
      body: { title: "x" },
    });
    expect(readOnly.status).toBe(403);
    expect((readOnly.json as { message: string }).message).toBe("Resource not accessible by integration");
    const repos = (await call(`${sim.url}/installation/repositories`, { token: acme })).json as {
      repositories: Array<{ full_name: string }>;
    };
    expect(repos.repositories.map((r) => r.full_name)).toEqual(["acme/license-admin"]);
    expect((await call(`${sim.url}/repos/acme/license-admin`, { token: "ghs_forged" })).status).toBe(401);
  });

  test("classic PATs need the repo scope; GHES hosts never take installation tokens", async () => {
    expect((await call(`${sim.url}/repos/acme/license-admin/issues`, { token: "ghp-admin" })).status).toBe(200);
    expect((await call(`${sim.url}/repos/acme/license-admin/issues`, { token: "ghp-norepo" })).status).toBe(404);
    const token = await installationToken(sim, 11);
    expect(
      (await call(`${sim.serverUrl("ghes-a.corp.example")}/api/v3/enterprise/stats/users`, { token })).status,
    ).toBe(401);
  });
});
