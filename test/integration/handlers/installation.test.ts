import { describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { API, contentsOf, fileContents, mockToken, startTestApp, strictNock } from "./support/app.js";
import { deliver, installationPayload, installationRepositoriesPayload } from "./support/payloads.js";

strictNock();

const CONFIG = ".github/license-sync.yml";

describe("installation", () => {
  it("created on the admin repository's organization: upserts the schedule from .github/license-sync.yml", async () => {
    const { probot, queue } = await startTestApp();
    mockToken(nock(API))
      .get(contentsOf(CONFIG))
      .reply(200, fileContents(CONFIG, "schedule:\n  cron: '30 7 * * 2'\n  timezone: Europe/Berlin\n"));
    await deliver(probot, "installation", installationPayload("created"));
    expect(queue.schedules).toEqual([
      { enterprise: "acme", schedule: { cron: "30 7 * * 2", timezone: "Europe/Berlin" }, installationId: 11 },
    ]);
  });

  it("uses the default weekly schedule when the repository has no config file", async () => {
    const { probot, queue } = await startTestApp();
    mockToken(nock(API)).get(contentsOf(CONFIG)).reply(404, { message: "Not Found" });
    await deliver(probot, "installation", installationPayload("created", { repositories: ["acme/license-admin"] }));
    expect(queue.schedules).toEqual([
      { enterprise: "acme", schedule: { cron: "0 6 * * 1", timezone: "UTC" }, installationId: 11 },
    ]);
  });

  it("logs an invalid config with its key and keeps the default schedule (there is no issue to answer on)", async () => {
    const { probot, queue, logs } = await startTestApp();
    mockToken(nock(API)).get(contentsOf(CONFIG)).reply(200, fileContents(CONFIG, "schedule:\n  cron: every monday\n"));
    const deliveryId = await deliver(probot, "installation", installationPayload("created"));
    expect(queue.schedules.map((s) => s.schedule)).toEqual([{ cron: "0 6 * * 1", timezone: "UTC" }]);
    const error = logs.find((line) => line.level === "error");
    expect(error?.fields).toMatchObject({ deliveryId, key: "schedule.cron" });
    expect(error?.message).toContain("Using the default schedule.");
  });

  it("ignores installations that do not reach the admin repository", async () => {
    const { probot, queue } = await startTestApp();
    await deliver(probot, "installation", installationPayload("created", { repositories: ["acme/website"] }));
    await deliver(probot, "installation", installationPayload("created", { account: "globex" }));
    expect(queue.schedules).toEqual([]);
  });

  it("new_permissions_accepted without a repository list asks GitHub whether the admin repository is reachable", async () => {
    const { probot, queue } = await startTestApp();
    mockToken(nock(API))
      .get("/repos/acme/license-admin")
      .reply(200, { full_name: "acme/license-admin" })
      .get(contentsOf(CONFIG))
      .reply(404, { message: "Not Found" });
    await deliver(probot, "installation", installationPayload("new_permissions_accepted", { selection: "selected" }));
    expect(queue.schedules).toHaveLength(1);
  });

  it("deleted: removes the schedule without calling GitHub (the token is gone)", async () => {
    const { probot, queue } = await startTestApp();
    await deliver(probot, "installation", installationPayload("deleted"));
    await deliver(probot, "installation", installationPayload("deleted", { account: "globex" }));
    expect(queue.removed).toEqual(["acme"]);
  });
});

describe("installation_repositories", () => {
  it("added with the admin repository: upserts the schedule", async () => {
    const { probot, queue } = await startTestApp();
    mockToken(nock(API))
      .get(contentsOf(CONFIG))
      .reply(200, fileContents(CONFIG, "schedule:\n  timezone: America/New_York\n"));
    await deliver(
      probot,
      "installation_repositories",
      installationRepositoriesPayload("added", ["acme/website", "acme/license-admin"]),
    );
    expect(queue.schedules).toEqual([
      { enterprise: "acme", schedule: { cron: "0 6 * * 1", timezone: "America/New_York" }, installationId: 11 },
    ]);
  });

  it("removed with the admin repository: removes the schedule; other repositories change nothing", async () => {
    const { probot, queue } = await startTestApp();
    await deliver(probot, "installation_repositories", installationRepositoriesPayload("removed", ["acme/website"]));
    await deliver(probot, "installation_repositories", installationRepositoriesPayload("added", ["acme/website"]));
    expect(queue.removed).toEqual([]);
    await deliver(
      probot,
      "installation_repositories",
      installationRepositoriesPayload("removed", ["Acme/License-Admin"]),
    );
    expect(queue.removed).toEqual(["acme"]);
    expect(queue.schedules).toEqual([]);
  });
});
