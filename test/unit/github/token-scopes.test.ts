import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { deploymentConfigSchema, type DeploymentConfig } from "../../../src/config/deployment.js";
import { InputError } from "../../../src/shared/errors.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { grantedScopes } from "../../../src/github/token-scopes.js";
import { checkAdminRepository, checkRunTokens } from "../../../src/pipeline/preflight.js";
import { captureLog } from "../../support/capture-log.js";

const API = "https://api.github.com";
const GHES = "https://ghes-a.corp.example";

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

function deployment(
  overrides: Partial<DeploymentConfig["cloud"]> = {},
  servers: DeploymentConfig["servers"] = [],
): DeploymentConfig {
  return deploymentConfigSchema.parse({
    enterprise: "acme",
    adminRepository: "acme/license-admin",
    cloud: { apiUrl: API, token: "ghp-cloud", ...overrides },
    servers,
  });
}

const user = (host: string, scopes?: string) =>
  nock(host)
    .get(host === API ? "/user" : "/api/v3/user")
    .reply(200, { login: "owner" }, scopes === undefined ? {} : { "x-oauth-scopes": scopes });

describe("granted scopes", () => {
  it("adds what broader scopes include, and knows when there is no header", () => {
    expect([...grantedScopes("admin:enterprise, admin:org")!].sort()).toEqual([
      "admin:enterprise",
      "admin:org",
      "manage_billing:enterprise",
      "manage_runners:enterprise",
      "read:enterprise",
      "read:org",
      "write:org",
    ]);
    expect(grantedScopes("")!.size).toBe(0);
    expect(grantedScopes(undefined)).toBeNull();
  });
});

describe("checkRunTokens (before anything is collected)", () => {
  it("passes tokens with every scope, including implied ones", async () => {
    user(API, "admin:enterprise, read:org");
    user(GHES, "site_admin");
    const { warnings } = await checkRunTokens(
      deployment({ organizations: ["acme-labs"] }, [{ hostname: "ghes-a.corp.example", url: GHES, token: "ghp-a" }]),
      "app",
      captureLog().logger,
    );
    expect(warnings).toEqual([]);
  });

  it("fails on every missing required scope at once, naming key, scope and the feature it disables", async () => {
    user(API, "repo");
    user(GHES, "repo");
    const error = await checkRunTokens(
      deployment({ organizations: ["acme-labs"] }, [{ hostname: "ghes-a.corp.example", url: GHES, token: "ghp-a" }]),
      "app",
      captureLog().logger,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain(
      "cloud.token lacks read:enterprise (enterprise licensing (consumed-licenses, license-sync-status)",
    );
    expect(message).toContain("cloud.token lacks read:org (SAML identities of cloud.organizations (acme-labs))");
    expect(message).toContain(
      "servers[0].token lacks site_admin (the all_users report and license of ghes-a.corp.example)",
    );
    expect(message).toContain("docs/install.md");
  });

  it("warns, naming the degraded feature, for a missing optional scope (verified domains need admin:enterprise)", async () => {
    user(API, "read:enterprise");
    const log = captureLog();
    const { warnings } = await checkRunTokens(deployment(), "app", log.logger);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^cloud\.token lacks admin:enterprise: the enterprise's verified domains .* is degraded\.$/,
      ),
    ]);
    expect(log.records().some((r) => r.level === 40 && String(r.msg).includes("admin:enterprise"))).toBe(true);
  });

  it("needs repo on cloud.token only when it writes the admin repository (sync without App credentials)", async () => {
    user(API, "admin:enterprise");
    await expect(checkRunTokens(deployment(), "cloud.token", captureLog().logger)).rejects.toThrow(
      /cloud\.token lacks repo \(writing issues and history to adminRepository \(acme\/license-admin\) without App credentials\)/,
    );
  });

  it("says honestly that a token without x-oauth-scopes (fine-grained) was not checked", async () => {
    user(API);
    const { warnings } = await checkRunTokens(deployment(), "app", captureLog().logger);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^cloud\.token: GitHub sent no x-oauth-scopes .* its scopes were not checked; enterprise licensing .* needs read:enterprise/,
      ),
    ]);
  });

  it("names the URL's key when GET /user is not found there (a REST root with a path too many, e.g. cloud.apiUrl ending in /api/v3)", async () => {
    nock(API)
      .get("/api/v3/user")
      .reply(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const error = await checkRunTokens(deployment({ apiUrl: `${API}/api/v3` }), "app", captureLog().logger).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /deployment config, cloud\.apiUrl: GitHub answered 404 for GET \/user: the URL is not a REST API root\. /,
    );
    nock(GHES).get("/api/v3/user").reply(404, "not here");
    user(API, "admin:enterprise");
    await expect(
      checkRunTokens(
        deployment({}, [{ hostname: "ghes-a.corp.example", url: GHES, token: "ghp-a" }]),
        "app",
        captureLog().logger,
      ),
    ).rejects.toThrow(/servers\[0\]\.url: GitHub answered 404 for GET \/user/);
  });

  it("names the token's key for bad credentials and the URL's key for a host it cannot reach", async () => {
    nock(API).get("/user").reply(401, { message: "Bad credentials" });
    await expect(checkRunTokens(deployment(), "app", captureLog().logger)).rejects.toThrow(
      /deployment config, cloud\.token: GitHub answered 401 \(bad credentials\)/,
    );
    user(API, "admin:enterprise");
    nock(GHES)
      .get("/api/v3/user")
      .replyWithError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED 10.0.0.1:443" });
    await expect(
      checkRunTokens(
        deployment({}, [{ hostname: "ghes-a.corp.example", url: GHES, token: "ghp-a" }]),
        "app",
        captureLog().logger,
      ),
    ).rejects.toThrow(
      /cannot reach the host of servers\[0\]\.url \(ghes-a\.corp\.example\): .*ECONNREFUSED.*Check servers\[0\]\.url/,
    );
  });
});

describe("checkAdminRepository", () => {
  const client = () => createGhecClient({ token: "ghp-cloud", logger: captureLog().logger });
  it("names adminRepository on a 404, before anything is collected", async () => {
    nock(API).get("/repos/acme/license-admin").reply(404, { message: "Not Found" });
    await expect(checkAdminRepository(client(), deployment(), "cloud.token")).rejects.toThrow(
      /deployment config, adminRepository: GitHub answered 404 for acme\/license-admin: it does not exist or cloud\.token cannot see it/,
    );
  });
  it("refuses a token that may read but not write the repository", async () => {
    nock(API)
      .get("/repos/acme/license-admin")
      .reply(200, { full_name: "acme/license-admin", permissions: { admin: false, push: false, pull: true } });
    await expect(checkAdminRepository(client(), deployment(), "cloud.token")).rejects.toThrow(
      /cloud\.token may read acme\/license-admin but not write to it/,
    );
  });
  it("accepts a writable repository", async () => {
    nock(API)
      .get("/repos/acme/license-admin")
      .reply(200, { full_name: "acme/license-admin", permissions: { admin: false, push: true, pull: true } });
    await expect(checkAdminRepository(client(), deployment(), "cloud.token")).resolves.toBeUndefined();
  });
});
