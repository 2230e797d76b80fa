import { describe, expect, it } from "@jest/globals";
import { commandPolicy, teamRef } from "../../../src/chat/authorize.js";
import { parseCommand } from "../../../src/chat/parse.js";
import {
  configErrorReply,
  describePolicy,
  ECHO_CHARS,
  helpReply,
  queuedReply,
  refusalReply,
} from "../../../src/chat/replies.js";
import { formatTime, statusReply } from "../../../src/chat/status.js";
import { InputError } from "../../../src/shared/errors.js";

describe("who may run commands", () => {
  it("resolves a bare team slug to the repository's organization", () => {
    expect(teamRef("license-admins", "acme")).toEqual({ org: "acme", slug: "license-admins" });
    expect(teamRef("corp/licensing", "acme")).toEqual({ org: "corp", slug: "licensing" });
  });

  it.each([
    [{ allowRepositoryAdmins: true, users: [] }, "administrators of this repository"],
    [
      { allowRepositoryAdmins: true, team: "license-admins", users: [] },
      "administrators of this repository and members of the `acme/license-admins` team",
    ],
    [{ allowRepositoryAdmins: false, team: "corp/licensing", users: [] }, "members of the `corp/licensing` team"],
    [
      { allowRepositoryAdmins: true, users: ["hubot", "mona"] },
      "administrators of this repository and the users `hubot` and `mona`",
    ],
    [
      { allowRepositoryAdmins: true, users: ["hubot"], restrictTo: ["hubot"] },
      "administrators of this repository and the user `hubot`, and of them only `hubot`",
    ],
    [{ allowRepositoryAdmins: true, users: [], restrictTo: [] }, "nobody (commands are turned off)"],
    [{ allowRepositoryAdmins: false, users: [] }, "nobody (commands are turned off)"],
  ])("%j", (policy, text) => {
    expect(describePolicy(policy, "acme")).toBe(text);
  });

  it("widens only from the deployment config: a repository team is dropped", () => {
    expect(commandPolicy({ users: [] }, { allowRepositoryAdmins: true, team: "dev-team" })).toEqual({
      allowRepositoryAdmins: true,
      users: [],
    });
    expect(
      commandPolicy(
        { team: "acme/licensing", users: ["hubot"] },
        { allowRepositoryAdmins: false, restrictTo: ["hubot"] },
      ),
    ).toEqual({ allowRepositoryAdmins: false, team: "acme/licensing", users: ["hubot"], restrictTo: ["hubot"] });
  });

  it("refuses by name, says nothing started, and points at both settings", () => {
    const text = refusalReply("octo", { allowRepositoryAdmins: true, users: [] }, "acme");
    expect(text).toMatch(/^Sorry @octo, .* administrators of this repository\. Nothing was started\./);
    expect(text).toContain("deployment config (`team`, `users`)");
    expect(text).toContain("can only narrow that (`allowRepositoryAdmins`, `restrictTo`)");
  });
});

describe("replies", () => {
  it("queued and deduplicated", () => {
    expect(queuedReply({ runId: "r1", deduplicated: false }, false)).toBe(
      "A license sync run is queued (run `r1`). I will reply here when it finishes.",
    );
    expect(queuedReply({ runId: "r0", deduplicated: true }, false)).toContain(
      "A run is already queued; your request joins it (run `r0`)",
    );
  });

  it("config error names file, key, problem and fix", () => {
    const text = configErrorReply(
      new InputError(".github/license-sync.yml", "commands.team", "expected string", "Fix it."),
    );
    expect(text).toBe(
      "I cannot run: `.github/license-sync.yml` is invalid at `commands.team`: expected string.\n\nFix it. Nothing was started; run the command again once the file is fixed.",
    );
  });

  it("help repeats at most a short prefix of what was typed", () => {
    const long = parseCommand(`/license-sync ${"x".repeat(65_000)}`)!;
    const text = helpReply(long);
    expect(text.length).toBeLessThan(2_000);
    expect(text).toContain(`I do not know the command \`${"x".repeat(ECHO_CHARS)}…\`.`);
    // Built directly: parseCommand reads a line to its first 128 characters (see parse.test.ts).
    const options = { unknownOptions: Array.from({ length: 500 }, (_, i) => `--o${i}${"y".repeat(100)}`) };
    const optionsText = helpReply(options);
    expect(optionsText.length).toBeLessThan(2_000);
    expect(optionsText).toContain("and 497 more; nothing was started.");
  });

  it("help lists every command", () => {
    const text = helpReply();
    for (const command of [
      "/license-sync now",
      "/license-sync now --dry-run",
      "/license-sync status",
      "/license-sync help",
    ])
      expect(text).toContain(`\`${command}\``);
  });
});

describe("status", () => {
  const base = { enterprise: "acme", schedule: { cron: "0 6 * * 1", timezone: "UTC" }, servers: [] };

  it("formats times in UTC and passes unparsable ones through", () => {
    expect(formatTime("2026-11-30T05:03:10.123Z")).toBe("2026-11-30 05:03 UTC");
    expect(formatTime("soon")).toBe("soon");
    expect(formatTime(undefined)).toBeNull();
  });

  it("without runs or scheduler says how to get them", () => {
    const text = statusReply({ ...base, runs: [], scheduled: null });
    expect(text).toContain("No scheduled run is queued (configured cron `0 6 * * 1`, UTC).");
    expect(text).toContain("No runs yet. `/license-sync now` starts one.");
    expect(text).toContain("- none configured (only GitHub Enterprise Cloud is read)");
  });

  it("keeps a failure reason inside its table cell", () => {
    const text = statusReply({
      ...base,
      scheduled: null,
      runs: [{ runId: "r", trigger: "push", state: "failed", failedReason: "line one\nline | two" }],
    });
    expect(text).toContain("| failed: line one line \\| two |");
  });
});
