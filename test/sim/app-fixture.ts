import { createDataset } from "./dataset.js";
import { call, type Answer, type CallOptions } from "./http-client.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "./server.js";

/** App id of the fixture; JWTs must carry it as `iss`. */
export const APP_ID = 4242;

/**
 * A JWT the simulator accepts for `/app/*` routes. Unsigned on purpose: the simulator checks the
 * issuer and expiry, not the RS256 signature (tests hold no GitHub key).
 */
export function appJwt(iss: number = APP_ID, expiresInSeconds = 540): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 60, exp: now + expiresInSeconds, iss })}.c2lnbmF0dXJl`;
}

/**
 * The usual cloud side for App tests: the App installed on org `acme` (all repositories) and on
 * `globex` (issues read only), the admin repository `acme/license-admin` with a config file,
 * roles and a team, and `globex/other` that acme's installation must not reach.
 */
export async function startAppSimulator(overrides: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({
    dataset: createDataset({ seed: 1, persons: 50, hosts: ["ghes-a.corp.example"] }),
    tokens: {
      "ghp-admin": { scopes: ["repo", "read:org"], login: "mona" },
      "ghp-norepo": { scopes: ["read:enterprise"] },
    },
    appId: APP_ID,
    installations: [
      { id: 11, account: "acme" },
      {
        id: 22,
        account: "globex",
        permissions: { issues: "read", contents: "read", members: "read", metadata: "read" },
      },
    ],
    repositories: [
      {
        owner: "acme",
        name: "license-admin",
        files: { ".github/license-sync.yml": "schedule:\n  cron: '0 6 * * 1'\n" },
        permissions: { mona: "admin", hubot: "maintain", octo: "triage", reader: "read" },
        labels: ["license-sync"],
      },
      { owner: "globex", name: "other" },
    ],
    teams: { "acme/license-admins": { mona: { role: "maintainer" }, newbie: { state: "pending" } } },
    ...overrides,
  });
}

/** Issues an installation token through the App flow, as Probot does. */
export async function installationToken(sim: Simulator, installationId: number): Promise<string> {
  const answer = await call(`${sim.url}/app/installations/${installationId}/access_tokens`, {
    method: "POST",
    bearer: appJwt(),
  });
  if (answer.status !== 201) throw new Error(`token request failed: ${answer.status} ${answer.text}`);
  return (answer.json as { token: string }).token;
}

/** `call` with a token, for brevity in repository tests. */
export function as(token: string): (url: string, options?: CallOptions) => Promise<Answer> {
  return (url, options = {}) => call(url, { ...options, token });
}
