import { describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import { API, contentsOf, fileContents, mockToken, startTestApp, strictNock } from "./support/app.js";
import { commentPayload, deliver } from "./support/payloads.js";

strictNock();

const CONFIG = ".github/license-sync.yml";
const PERMISSION = "/repos/acme/license-admin/collaborators/mona/permission";
const REACTION = "/repos/acme/license-admin/issues/comments/9001/reactions";
const COMMENTS = "/repos/acme/license-admin/issues/5/comments";

/** Token, config (absent unless given), and the collaborator permission of `login`. */
function github(options: { config?: string; permission?: string; login?: string } = {}): nock.Scope {
  const scope = mockToken(nock(API));
  if (options.config === undefined) scope.get(contentsOf(CONFIG)).reply(404, { message: "Not Found" });
  else scope.get(contentsOf(CONFIG)).reply(200, fileContents(CONFIG, options.config));
  if (options.permission)
    scope.get(PERMISSION.replace("mona", options.login ?? "mona")).reply(200, {
      permission: options.permission,
      role_name: options.permission,
      user: { login: options.login ?? "mona" },
    });
  return scope;
}

/** Expects the reply comment and hands its body back. */
function expectReply(scope: nock.Scope): { body: string } {
  const reply = { body: "" };
  scope.post(COMMENTS, (body: { body: string }) => ((reply.body = body.body), true)).reply(201, { id: 1 });
  return reply;
}

describe("issue_comment: /license-sync now", () => {
  it("lets a repository admin run: eyes reaction, enqueue with the reply target, queued reply", async () => {
    const { probot, queue, logs } = await startTestApp();
    const scope = github({ permission: "admin" });
    scope.post(REACTION, { content: "eyes" }).reply(201, { id: 1, content: "eyes" });
    const reply = expectReply(scope);

    const deliveryId = await deliver(probot, "issue_comment", commentPayload("/license-sync now"));

    expect(queue.enqueued).toEqual([
      {
        enterprise: "acme",
        trigger: "command",
        requestedBy: "mona",
        reply: { owner: "acme", repo: "license-admin", issueNumber: 5, installationId: 11 },
        dryRun: false,
        deliveryId,
      },
    ]);
    expect(reply.body).toContain("is queued (run `run-1`)");
    expect(logs.find((line) => line.message === "command answered")?.fields).toMatchObject({
      deliveryId,
      via: "repository-admin",
      command: "now",
    });
  });

  it("passes --dry-run, whatever the case and spacing", async () => {
    const { probot, queue } = await startTestApp();
    const scope = github({ permission: "admin" });
    scope.post(REACTION).reply(201, {});
    const reply = expectReply(scope);
    await deliver(
      probot,
      "issue_comment",
      commentPayload("Let's check first.\n\n  /License-Sync   NOW    --dry-run  "),
    );
    expect(queue.enqueued).toHaveLength(1);
    expect(queue.enqueued[0]?.dryRun).toBe(true);
    expect(reply.body).toContain("A dry run (nothing will be posted or committed) is queued");
  });

  it("says a request joined an already queued run", async () => {
    const { probot, queue } = await startTestApp();
    queue.deduplicate = true;
    const scope = github({ permission: "admin" });
    scope.post(REACTION).reply(201, {});
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now"));
    expect(reply.body).toContain("A run is already queued; your request joins it");
  });

  it("answers when the queue is down, and fails the delivery so it can be redelivered", async () => {
    const { probot, queue } = await startTestApp();
    queue.enqueueRun = async () => {
      throw Object.assign(
        new Error("The run queue is unavailable (Redis connection is reconnecting); try again shortly."),
        { status: 503 },
      );
    };
    const scope = github({ permission: "admin" });
    scope.post(REACTION).reply(201, {});
    const reply = expectReply(scope);
    await expect(deliver(probot, "issue_comment", commentPayload("/license-sync now"))).rejects.toThrow(
      /run queue is unavailable/,
    );
    expect(reply.body).toContain(
      "I could not carry out this command: the run queue did not answer. Nothing was started.",
    );
  });

  it("does not run `now` with an unknown option (a typo of --dry-run must not run for real)", async () => {
    const { probot, queue } = await startTestApp();
    const scope = github({ permission: "admin" });
    scope.post(REACTION).reply(201, {});
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now --dryrn"));
    expect(queue.enqueued).toEqual([]);
    expect(reply.body).toContain("I do not know the option `--dryrn`; nothing was started.");
  });
});

describe("issue_comment: authorization", () => {
  it("refuses a writer politely, naming who may run commands, with no reaction and no run", async () => {
    const { probot, queue } = await startTestApp();
    const scope = github({ permission: "write" });
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now"));
    expect(queue.enqueued).toEqual([]);
    expect(reply.body).toContain(
      "Sorry @mona, `/license-sync` commands can only be run by administrators of this repository. Nothing was started.",
    );
    expect(reply.body).toContain("`commands` in `.github/license-sync.yml` can only narrow that");
  });

  it("lets an active member of the deployment's commands.team run, after the admin check fails", async () => {
    const { probot, queue } = await startTestApp({ deployment: { commands: { team: "license-admins" } } });
    const scope = github({ permission: "write" });
    scope.get("/orgs/acme/teams/license-admins/memberships/mona").reply(200, { role: "member", state: "active" });
    scope.post(REACTION, { content: "eyes" }).reply(201, {});
    expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now"));
    expect(queue.enqueued).toHaveLength(1);
  });

  it("ignores a team in the repository config: a writer cannot let their own team in", async () => {
    const { probot, queue, logs } = await startTestApp();
    // No membership lookup is mocked: asking GitHub about dev-team would fail the test.
    const scope = github({ config: "commands:\n  team: dev-team\n", permission: "write" });
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now"));
    expect(queue.enqueued).toEqual([]);
    expect(reply.body).toContain("can only be run by administrators of this repository. Nothing was started.");
    expect(reply.body).not.toContain("dev-team");
    expect(logs.find((line) => line.message.includes("commands.team is ignored"))?.level).toBe("warn");
  });

  it("lets a user named in the deployment config run without asking GitHub, and restrictTo narrows", async () => {
    const { probot, queue } = await startTestApp({ deployment: { commands: { users: ["Mona"] } } });
    const scope = github({ config: "commands:\n  allowRepositoryAdmins: false\n" });
    scope.post(REACTION, { content: "eyes" }).reply(201, {});
    expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now"));
    expect(queue.enqueued).toHaveLength(1);

    // An admin not in restrictTo is refused before any permission lookup.
    const narrowed = await startTestApp();
    const refused = expectReply(github({ config: "commands:\n  restrictTo: [hubot]\n" }));
    await deliver(narrowed.probot, "issue_comment", commentPayload("/license-sync now"));
    expect(narrowed.queue.enqueued).toEqual([]);
    expect(refused.body).toContain("can only be run by administrators of this repository, and of them only `hubot`.");
  });

  it("refuses a pending team member, and does not ask for admins when they are not allowed", async () => {
    const { probot, queue } = await startTestApp({ deployment: { commands: { team: "acme/license-admins" } } });
    const scope = github({ config: "commands:\n  allowRepositoryAdmins: false\n" });
    scope.get("/orgs/acme/teams/license-admins/memberships/mona").reply(200, { role: "member", state: "pending" });
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now"));
    expect(queue.enqueued).toEqual([]);
    // A code span, not `@acme/license-admins`: a refusal must not notify the whole team.
    expect(reply.body).toContain("can only be run by members of the `acme/license-admins` team");
    expect(reply.body).not.toContain("@acme/");
  });

  it("ignores bots: by type and by [bot] login", async () => {
    const { probot, queue } = await startTestApp();
    await deliver(
      probot,
      "issue_comment",
      commentPayload("/license-sync now", { login: "license-sync[bot]", userType: "Bot" }),
    );
    await deliver(probot, "issue_comment", commentPayload("/license-sync now", { login: "renovate[bot]" }));
    await deliver(probot, "issue_comment", commentPayload("/license-sync now", { login: "ci-robot", userType: "Bot" }));
    expect(queue.enqueued).toEqual([]);
  });

  it("ignores edited comments, other repositories and comments without a command", async () => {
    const { probot, queue } = await startTestApp();
    await deliver(probot, "issue_comment", commentPayload("/license-sync now", { action: "edited" }));
    await deliver(probot, "issue_comment", commentPayload("/license-sync now", { repo: "globex/other" }));
    await deliver(probot, "issue_comment", commentPayload("Thanks, looks right.\n> /license-sync now"));
    expect(queue.enqueued).toEqual([]);
  });
});

describe("issue_comment: status, help, invalid config", () => {
  it("answers status with recent runs, the next scheduled run and the instances (hostnames only)", async () => {
    const { probot, queue } = await startTestApp();
    queue.scheduled = { next: new Date("2026-12-07T05:00:00Z"), cron: "0 6 * * 1", timezone: "Europe/Berlin" };
    queue.runs = [
      {
        runId: "run-9",
        trigger: "schedule",
        state: "completed",
        startedAt: "2026-11-30T05:00:00Z",
        finishedAt: "2026-11-30T05:03:10Z",
        uniqueUsers: 1234,
        summaryIssueUrl: "https://github.com/acme/license-admin/issues/5",
      },
      {
        runId: "run-8",
        trigger: "command",
        state: "failed",
        requestedBy: "mona",
        startedAt: "2026-11-29T10:00:00Z",
        failedReason: "ghes-a.corp.example: report | not ready",
      },
    ];
    const scope = github({
      config: "schedule:\n  cron: '0 6 * * 1'\n  timezone: Europe/Berlin\n",
      permission: "admin",
    });
    scope.post(REACTION).reply(201, {});
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync status"));

    expect(queue.enqueued).toEqual([]);
    expect(reply.body).toContain("Next scheduled run: **2026-12-07 05:00 UTC** (cron `0 6 * * 1`, Europe/Berlin)");
    expect(reply.body).toContain(
      "| `run-9` | schedule | completed | – | 2026-11-30 05:00 UTC | 2026-11-30 05:03 UTC | 1234 | https://github.com/acme/license-admin/issues/5 |",
    );
    // The requester is named, not pinged (a joiner after `@`).
    expect(reply.body).toContain("| `run-8` | command | failed | @\u200Dmona |");
    expect(reply.body).toContain("failed: ghes-a.corp.example: report \\| not ready");
    expect(reply.body).toContain("- `ghes-a.corp.example`: API");
    expect(reply.body).toContain("- `ghes-b.corp.example`: usage file `license-usage/uploads/ghes-b.json`");
    expect(reply.body).not.toMatch(/ghp-never-shown|https:\/\/ghes-a/);
  });

  it("status names the schedule in effect when the scheduler has not taken the configured cron", async () => {
    const { probot, queue } = await startTestApp();
    queue.scheduled = { next: new Date("2026-12-07T06:00:00Z"), cron: "0 6 * * 1", timezone: "UTC" };
    const scope = github({ config: "schedule:\n  cron: '0 7 * * 2'\n", permission: "admin" });
    scope.post(REACTION).reply(201, {});
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync status"));
    expect(reply.body).toContain(
      "Next scheduled run: **2026-12-07 06:00 UTC** (cron `0 6 * * 1`, UTC). `.github/license-sync.yml` asks for cron `0 7 * * 2`, UTC, which the scheduler has not taken yet",
    );
  });

  it("answers help, and unknown subcommands with help", async () => {
    for (const body of ["/license-sync help", "/license-sync frobnicate"]) {
      const { probot } = await startTestApp();
      const scope = github({ permission: "admin" });
      scope.post(REACTION).reply(201, {});
      const reply = expectReply(scope);
      await deliver(probot, "issue_comment", commentPayload(body));
      expect(reply.body).toContain("| `/license-sync now --dry-run` |");
      if (body.endsWith("frobnicate")) expect(reply.body).toContain("I do not know the command `frobnicate`.");
      expect(nock.pendingMocks()).toEqual([]);
    }
  });

  it("names the invalid key and the fix, and runs nothing", async () => {
    const { probot, queue } = await startTestApp();
    const scope = github({ config: "schedule:\n  timezone: Mars/Olympus_Mons\n" });
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync now"));
    expect(queue.enqueued).toEqual([]);
    expect(reply.body).toContain(
      "`.github/license-sync.yml` is invalid at `schedule.timezone`: expected an IANA time zone, e.g. Europe/Berlin.",
    );
    expect(reply.body).toContain("docs/configuration.md");
  });

  it("names the YAML line of a file that is not YAML", async () => {
    const { probot } = await startTestApp();
    const scope = github({ config: "schedule:\n  cron: '0 6 * * 1\n  timezone: UTC\n" });
    const reply = expectReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/license-sync status"));
    expect(reply.body).toMatch(/is invalid at `line \d+`: invalid YAML/);
  });
});
