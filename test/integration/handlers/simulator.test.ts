import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { as, startAppSimulator } from "../../sim/app-fixture.js";
import type { Simulator } from "../../sim/server.js";
import { startTestApp } from "./support/app.js";
import { commentPayload, deliver, installationPayload, pushPayload } from "./support/payloads.js";
import { usageFileText } from "./support/usage-files.js";

/**
 * The same handlers against the GitHub simulator instead of nock: the requests they make must be
 * ones GitHub answers (paths, bodies, permissions), not only the ones the nock tests expect.
 */
let sim: Simulator;
beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  sim = await startAppSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => sim.github.restore());

/** Mona (admin) opens an issue and `login` comments `body` on it, through the API; returns the webhook payload. */
async function comment(login: "mona" | "octo", body: string) {
  const mona = as("ghp-admin");
  const issue = (
    await mona(`${sim.url}/repos/acme/license-admin/issues`, { method: "POST", body: { title: "Licenses" } })
  ).json as { number: number };
  const created = (
    await mona(`${sim.url}/repos/acme/license-admin/issues/${issue.number}/comments`, {
      method: "POST",
      body: { body },
    })
  ).json as { id: number };
  const payload = commentPayload(body, { login });
  return {
    ...payload,
    issue: { ...payload.issue, number: issue.number },
    comment: { ...payload.comment, id: created.id },
  };
}

describe("handlers against the simulator", () => {
  it("installation: upserts the schedule from the admin repository's config", async () => {
    const { probot, queue } = await startTestApp({ baseUrl: sim.url });
    sim.github.putFile(
      "acme",
      "license-admin",
      ".github/license-sync.yml",
      "schedule:\n  cron: '15 4 * * 1'\n  timezone: Europe/Paris\n",
    );
    await deliver(probot, "installation", installationPayload("created"));
    expect(queue.schedules).toEqual([
      { enterprise: "acme", schedule: { cron: "15 4 * * 1", timezone: "Europe/Paris" }, installationId: 11 },
    ]);
  });

  it("an admin's /license-sync now: eyes on the comment, a reply by the App, one run", async () => {
    const { probot, queue } = await startTestApp({ baseUrl: sim.url });
    const payload = await comment("mona", "/license-sync now");
    await deliver(probot, "issue_comment", payload);
    const issue = sim.repo("acme", "license-admin").issues.find((i) => i.number === payload.issue.number)!;
    expect(issue.comments[0]?.reactions).toEqual(["eyes"]);
    expect(issue.comments[1]).toMatchObject({ user: "license-sync[bot]", body: expect.stringContaining("is queued") });
    expect(queue.enqueued).toHaveLength(1);
  });

  it("team members per the deployment config; a triager and a pending member are refused", async () => {
    const { probot, queue } = await startTestApp({
      baseUrl: sim.url,
      deployment: { commands: { team: "license-admins" } },
    });
    sim.github.putFile(
      "acme",
      "license-admin",
      ".github/license-sync.yml",
      "commands:\n  allowRepositoryAdmins: false\n",
    );
    const refused = await comment("octo", "/license-sync now");
    await deliver(probot, "issue_comment", refused);
    await deliver(probot, "issue_comment", await comment("mona", "/license-sync status"));
    const issues = sim.repo("acme", "license-admin").issues;
    const refusal = issues.find((i) => i.number === refused.issue.number)!;
    expect(refusal.comments[0]?.reactions).toEqual([]);
    expect(refusal.comments[1]?.body).toContain("can only be run by members of the `acme/license-admins` team");
    expect(issues.at(-1)?.comments[1]?.body).toContain("**license-sync status** for enterprise `acme`");
    expect(queue.enqueued).toEqual([]);
  });

  it("push: a valid usage file enqueues a run at the pushed commit; a bad one gets a commit comment", async () => {
    const { probot, queue } = await startTestApp({ baseUrl: sim.url });
    const path = "license-usage/uploads/ghes-b.json";
    const good = sim.github.putFile("acme", "license-admin", path, usageFileText("ghes-b.corp.example"));
    await deliver(probot, "push", { ...pushPayload({ added: [path] }), after: good.sha });
    expect(queue.enqueued.map((r) => r.usageFiles)).toEqual([{ ref: good.sha, paths: [path] }]);

    const bad = sim.github.putFile(
      "acme",
      "license-admin",
      path,
      usageFileText("ghes-b.corp.example").replace('"accountCount": 3', '"accountCount": 4'),
    );
    await deliver(probot, "push", { ...pushPayload({ modified: [path] }), after: bad.sha });
    expect(queue.enqueued).toHaveLength(1);
    expect(sim.repo("acme", "license-admin").commitComments).toEqual([
      expect.objectContaining({
        commitId: bad.sha,
        user: "license-sync[bot]",
        body: expect.stringContaining("holds 3 accounts but accountCount says 4"),
      }),
    ]);
  });
});
