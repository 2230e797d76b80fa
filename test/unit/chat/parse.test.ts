import { describe, expect, it } from "@jest/globals";
import { parseCommand } from "../../../src/chat/parse.js";

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
    expect(parseCommand("Numbers look off.\r\n/license-sync status\r\n/license-sync now")).toMatchObject({
      name: "status",
    });
  });

  it.each([
    ["no command", "Looks good to me"],
    ["mid-line mention", "please run /license-sync now"],
    ["longer name", "/license-syncer now"],
    ["quoted", "> /license-sync now\nI agree"],
    ["fenced", "```\n/license-sync now\n```"],
    ["tilde fence", "~~~text\n/license-sync now\n~~~"],
    // CommonMark: a fence closes only with the same character, at least as long (spec examples 121-124).
    ["backtick fence holding a tilde line", "```\n~~~\n/license-sync now\n```"],
    ["tilde fence holding a backtick line", "~~~\n```\n/license-sync now\n~~~"],
    ["longer fence holding a shorter one", "````\n```\n/license-sync now\n````"],
    ["unclosed fence (runs to the end)", "```\n/license-sync now"],
    ["indented fence", "  ```\n  /license-sync now\n  ```"],
    // Indented code blocks (spec examples 107, 108): four spaces or a tab after a blank line.
    ["indented code block", "    /license-sync now"],
    ["indented code after a paragraph and a blank line", "Like this:\n\n    /license-sync now"],
    ["tab-indented code block", "\t/license-sync now"],
    // HTML comments (HTML block type 2 and inline), even across lines.
    ["HTML comment", "<!-- /license-sync now -->"],
    ["multi-line HTML comment", "<!--\n/license-sync now\n-->"],
    ["inline HTML comment across lines", "see <!--\n/license-sync now\n--> here"],
    ["HTML block", "<details>\n/license-sync now\n</details>"],
    ["lazy continuation of a quote", "> quoted\n/license-sync now"],
    ["indented quote", "   > /license-sync now"],
    ["list item", "- /license-sync now"],
    ["heading", "# /license-sync now"],
    ["code span", "`/license-sync now`"],
    ["empty", ""],
    ["null", null],
  ])("ignores %s", (_, body) => {
    expect(parseCommand(body)).toBeNull();
  });

  it("finds a command in a paragraph line after code, even one indented as a continuation", () => {
    expect(parseCommand("```\n~~~\n```\n/license-sync status")).toMatchObject({ name: "status" });
    expect(parseCommand("    code\n\n/license-sync status")).toMatchObject({ name: "status" });
    expect(parseCommand("<!-- note -->\n\n/license-sync status")).toMatchObject({ name: "status" });
    // Indented lines after paragraph text continue the paragraph (spec example 113), they are not code.
    expect(parseCommand("Please:\n    /license-sync status")).toMatchObject({ name: "status" });
  });

  it("finds a command after a closed fence", () => {
    expect(parseCommand("```\n/license-sync now\n```\n/license-sync status")).toMatchObject({ name: "status" });
  });
});

// Shapes on which commonmark.js is quadratic: at 64 KB they held the web process for 18 s to
// minutes (every webhook and probe waiting). Lines are read to their first 128 characters, which
// bounds how far the parser looks back and ahead.
describe("parseCommand on hostile comments", () => {
  const fill = (unit: string) => unit.repeat(Math.floor(65_000 / unit.length));
  const lines = (line: string) => Array.from({ length: Math.floor(65_000 / (line.length + 1)) }, () => line).join("\n");

  it.each([
    ["a list marker nested 32,000 times", `${fill("- ")}/license-sync now`],
    ["ordered markers nested on every line", lines(`${"1. ".repeat(40)}/license-sync now`)],
    ["unclosed link destinations", `/license-sync ${fill("[a](")}`],
    ["unclosed link destinations on every line", `/license-sync now\n${lines("[a](".repeat(60))}`],
  ])("%s", (_, body) => {
    expect(body.length).toBeLessThanOrEqual(65_536);
    const command = parseCommand(body);
    expect(command === null || command.name === "help" || command.name === "now").toBe(true);
  });

  it("reads a long line to its first 128 characters: the rest is neither subcommand nor option", () => {
    expect(parseCommand(`/license-sync now ${"y".repeat(200)} --dry-run`)).toEqual({
      name: "now",
      dryRun: false,
      unknownOptions: [],
    });
    expect(parseCommand(`/license-sync ${"x".repeat(65_000)}`)).toEqual({
      name: "help",
      unknownSubcommand: `${"x".repeat(114)}…`,
      dryRun: false,
      unknownOptions: [],
    });
  });

  it("keeps the structure of a long line: its indentation, and that it is not blank", () => {
    // 300 spaces then text continue the list item; clipped, it must not become a blank line
    // that would end the item and turn the lazy line after it into a top-level command.
    expect(parseCommand(`- item\n${" ".repeat(300)}text\n/license-sync now`)).toBeNull();
    // A closing fence with trailing spaces still closes.
    expect(parseCommand(`\`\`\`\ncode\n\`\`\`${" ".repeat(300)}\n/license-sync status`)).toMatchObject({
      name: "status",
    });
  });
});

// GitHub renders GFM tables; commonmark.js reads them as paragraphs. A command in a table is documentation.
describe("parseCommand and GFM tables", () => {
  it.each([
    ["a header cell", "/license-sync now | what it does\n--- | ---\nx | y"],
    ["a header cell with pipes", "| /license-sync now | what |\n| --- | :-: |"],
    ["a body row", "Command | What\n--- | ---\n/license-sync now | runs"],
    ["a table after text", "Commands:\nCommand | What\n--- | ---\n/license-sync now | runs"],
  ])("ignores %s", (_, body) => {
    expect(parseCommand(body)).toBeNull();
  });

  it("still reads a command before a table, and one whose next line only looks like a delimiter row", () => {
    expect(parseCommand("/license-sync status\nCommand | What\n--- | ---")).toMatchObject({ name: "status" });
    // One cell in the header, two in the delimiter row: not a table.
    expect(parseCommand("/license-sync status\n--- | ---")).toMatchObject({ name: "status" });
  });
});
