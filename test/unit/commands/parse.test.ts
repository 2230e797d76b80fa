import { describe, expect, it } from "@jest/globals";
import { parseCommand } from "../../../src/commands/parse.js";

describe("parseCommand", () => {
  it.each([
    ["/license-sync now", { name: "now", dryRun: false, unknownOptions: [] }],
    ["/license-sync status", { name: "status", dryRun: false, unknownOptions: [] }],
    ["/license-sync help", { name: "help", dryRun: false, unknownOptions: [] }],
    ["/license-sync", { name: "help", dryRun: false, unknownOptions: [] }],
    ["/LICENSE-SYNC Now", { name: "now", dryRun: false, unknownOptions: [] }],
    ["   /license-sync    now     --dry-run   ", { name: "now", dryRun: true, unknownOptions: [] }],
    ["/license-sync --dry-run now", { name: "now", dryRun: true, unknownOptions: [] }],
    ["/license-sync now \u2014dry-run", { name: "now", dryRun: true, unknownOptions: [] }],
    ["/license-sync now please, before the audit", { name: "now", dryRun: false, unknownOptions: [] }],
    ["/license-sync now --force", { name: "now", dryRun: false, unknownOptions: ["--force"] }],
    ["/license-sync frobnicate", { name: "help", unknownSubcommand: "frobnicate", dryRun: false, unknownOptions: [] }],
  ])("%j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it("takes the first command line of a multi-line comment (CRLF too)", () => {
    expect(parseCommand("Numbers look off.\r\n/license-sync status\r\n/license-sync now")).toMatchObject({ name: "status" });
  });

  it.each([
    ["no command", "Looks good to me"],
    ["mid-line mention", "please run /license-sync now"],
    ["longer name", "/license-syncer now"],
    ["quoted", "> /license-sync now\nI agree"],
    ["fenced", "```\n/license-sync now\n```"],
    ["tilde fence", "~~~text\n/license-sync now\n~~~"],
    ["empty", ""],
    ["null", null],
  ])("ignores %s", (_, body) => {
    expect(parseCommand(body)).toBeNull();
  });

  it("finds a command after a closed fence", () => {
    expect(parseCommand("```\n/license-sync now\n```\n/license-sync status")).toMatchObject({ name: "status" });
  });
});
