import { describe, expect, it } from "@jest/globals";
import nock, { strictNock } from "../../support/nock.js";
import {
  collectGhec,
  collectGhecIdentities,
  collectGhecLicenses,
  withIdentities,
} from "../../../src/collect/ghec/collect-ghec.js";
import { collectSyncStatus } from "../../../src/collect/ghec/sync-status.js";
import { InputError } from "../../../src/shared/errors.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { captureLog, LEVEL } from "../../support/capture-log.js";
import { licensePage, loadFixture, rows } from "./fixtures.js";
import {
  connection,
  enterpriseDomainsData,
  enterpriseIdentitiesData,
  graphqlBody,
  identityNode,
} from "./graphql-fixtures.js";

strictNock();

const API = "https://api.github.com";
const SYNC = "/enterprises/acme/license-sync-status";
const protector = createEmailProtector({ secret: "test-secret" });
const client = (logger = captureLog().logger) => createGhecClient({ token: "ghp_test", logger, retryDelayMs: 1 });

describe("collectSyncStatus", () => {
  it("reads GitHub's example: every instance synced successfully", async () => {
    nock(API).get(SYNC).reply(200, loadFixture("ghec-license-sync-status.json"));
    const statuses = await collectSyncStatus({ client: client(), enterprise: "acme", logger: captureLog().logger });
    expect(statuses).toEqual([
      {
        serverId: "deadbeef1",
        hostname: "github.example.com",
        lastSyncAt: "2020-01-01T00:00:00.000Z",
        status: "success",
        reportedStatus: "success",
        error: null,
      },
      {
        serverId: "filetoffish1",
        hostname: "github2.example.com",
        lastSyncAt: "2020-01-01T00:00:00.000Z",
        status: "success",
        reportedStatus: "success",
        error: null,
      },
    ]);
  });

  it("treats any status but success as a failure and keeps GitHub's error text", async () => {
    const log = captureLog();
    nock(API)
      .get(SYNC)
      .reply(200, {
        server_instances: [
          {
            server_id: "a1",
            hostname: "GHES-A.corp.example",
            last_sync: { date: "2026-11-20T08:00:00Z", status: "failed", error: "Upload rejected: invalid license" },
          },
          { server_id: "b2", hostname: "ghes-b.corp.example", last_sync: null },
          {
            server_id: 3,
            hostname: "ghes-c.corp.example",
            last_sync: { date: "2026-11-21T08:00:00Z", status: "SUCCESS", error: "" },
          },
        ],
      });

    const statuses = await collectSyncStatus({ client: client(), enterprise: "acme", logger: log.logger });

    expect(statuses).toEqual([
      {
        serverId: "a1",
        hostname: "ghes-a.corp.example",
        lastSyncAt: "2026-11-20T08:00:00.000Z",
        status: "failure",
        reportedStatus: "failed",
        error: "Upload rejected: invalid license",
      },
      {
        serverId: "b2",
        hostname: "ghes-b.corp.example",
        lastSyncAt: null,
        status: "failure",
        reportedStatus: null,
        error: null,
      },
      {
        serverId: "3",
        hostname: "ghes-c.corp.example",
        lastSyncAt: "2026-11-21T08:00:00.000Z",
        status: "success",
        reportedStatus: "SUCCESS",
        error: null,
      },
    ]);
    expect(log.records()).toContainEqual(
      expect.objectContaining({ level: LEVEL.warn, hosts: ["ghes-a.corp.example", "ghes-b.corp.example"] }),
    );
  });

  it("names read:enterprise on a 403", async () => {
    nock(API).get(SYNC).reply(403, { message: "Forbidden" });
    const error = await collectSyncStatus({ client: client(), enterprise: "acme", logger: captureLog().logger }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/read:enterprise/);
  });
});

describe("collectGhec", () => {
  it("runs the three collections at once and joins their results", async () => {
    let syncAsked = false;
    let sawSyncWhileLicensesOpen = false;
    let askedForSync = () => undefined as void;
    const syncRequested = new Promise<void>((resolve) => (askedForSync = resolve));
    nock(API)
      .get("/enterprises/acme/consumed-licenses")
      .query({ per_page: "100", page: "1" })
      .reply(async () => {
        // Answer the first page only once the sync status was asked for: proves they run together.
        // (A collector that waited for this page first would never ask: the 2 s fallback ends the
        // wait so the assertion below fails, instead of the test timing out.)
        let fallback: NodeJS.Timeout | undefined;
        await Promise.race([syncRequested, new Promise((resolve) => (fallback = setTimeout(resolve, 2000)))]);
        clearTimeout(fallback);
        sawSyncWhileLicensesOpen = syncAsked;
        return [200, licensePage(rows(0, 3), 3)];
      })
      .get(SYNC)
      .reply(() => {
        syncAsked = true;
        askedForSync();
        return [200, loadFixture("ghec-license-sync-status.json")];
      })
      .post("/graphql", graphqlBody("samlIdentityProvider"))
      .reply(200, {
        data: enterpriseIdentitiesData(connection([identityNode("user1", "user1@corp.example")], null, false)),
      })
      .post("/graphql", graphqlBody("domains("))
      .reply(200, { data: enterpriseDomainsData([{ domain: "acme.example", isVerified: true }]) });

    const cloud = await collectGhec({ client: client(), enterprise: "acme", protector, logger: captureLog().logger });

    expect(sawSyncWhileLicensesOpen).toBe(true);
    expect(cloud.usage.licenses.map((license) => license.login)).toEqual(["user0", "user1", "user2"]);
    expect(cloud.syncStatus.map((status) => status.hostname)).toEqual(["github.example.com", "github2.example.com"]);
    expect(cloud.identities.map((identity) => identity.login)).toEqual(["user1"]);
    expect(cloud.verifiedDomains).toEqual(["acme.example", "corp.example"]);
    expect(cloud.requests).toBe(4);
    expect(cloud.totalsChangedMidRun).toBe(false);
    expect(typeof cloud.durationMs).toBe("number");
  });

  it("fails with the access error only after the other collections finished", async () => {
    nock(API)
      .get("/enterprises/acme/consumed-licenses")
      .query(true)
      .reply(403, { message: "Must be an enterprise owner" })
      .get(SYNC)
      .delay(50)
      .reply(200, loadFixture("ghec-license-sync-status.json"))
      .post("/graphql", graphqlBody("samlIdentityProvider"))
      .reply(200, { data: enterpriseIdentitiesData(null) })
      .post("/graphql", graphqlBody("domains("))
      .reply(200, { data: enterpriseDomainsData([]) });
    await expect(
      collectGhec({ client: client(), enterprise: "acme", protector, logger: captureLog().logger }),
    ).rejects.toThrow(/read:enterprise/);
  });
});

describe("collectGhecLicenses and collectGhecIdentities (the App's two GHEC jobs)", () => {
  const answerEverything = () =>
    nock(API)
      .get("/enterprises/acme/consumed-licenses")
      .query({ per_page: "100", page: "1" })
      .reply(200, licensePage(rows(0, 3), 3))
      .get(SYNC)
      .reply(200, loadFixture("ghec-license-sync-status.json"))
      .post("/graphql", graphqlBody("samlIdentityProvider"))
      .reply(200, {
        data: enterpriseIdentitiesData(connection([identityNode("user1", "user1@corp.example")], null, false)),
      })
      .post("/graphql", graphqlBody("domains("))
      .reply(200, { data: enterpriseDomainsData([{ domain: "acme.example", isVerified: true }]) });

  it("each ask only their own endpoints, and joined they are what collectGhec collects", async () => {
    const options = { client: client(), enterprise: "acme", protector, logger: captureLog().logger };
    nock(API)
      .get("/enterprises/acme/consumed-licenses")
      .query({ per_page: "100", page: "1" })
      .reply(200, licensePage(rows(0, 3), 3))
      .get(SYNC)
      .reply(200, loadFixture("ghec-license-sync-status.json"));
    const licenses = await collectGhecLicenses(options);
    expect(nock.pendingMocks()).toEqual([]);
    expect(licenses.identities).toEqual([]);
    expect(licenses.verifiedDomains).toEqual(["corp.example"]);
    expect(licenses.requests).toBe(2);

    nock(API)
      .post("/graphql", graphqlBody("samlIdentityProvider"))
      .reply(200, {
        data: enterpriseIdentitiesData(connection([identityNode("user1", "user1@corp.example")], null, false)),
      })
      .post("/graphql", graphqlBody("domains("))
      .reply(200, { data: enterpriseDomainsData([{ domain: "acme.example", isVerified: true }]) });
    const identities = await collectGhecIdentities(options);
    expect(nock.pendingMocks()).toEqual([]);
    expect(identities.identities.map((identity) => identity.login)).toEqual(["user1"]);
    expect(identities.verifiedDomains).toEqual(["acme.example"]);
    expect(identities.requests).toBe(2);

    answerEverything();
    const whole = await collectGhec(options);
    const joined = withIdentities(licenses, identities);
    expect({ ...joined, durationMs: 0 }).toEqual({ ...whole, durationMs: 0 });
  });
});
