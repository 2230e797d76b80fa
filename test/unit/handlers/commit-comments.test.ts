import { describe, expect, it } from "@jest/globals";
import { Parser } from "commonmark";
import { configErrorReply, refusalReply } from "../../../src/chat/replies.js";
import { parseRepositoryConfig } from "../../../src/config/load-repository.js";
import { InputError } from "../../../src/shared/errors.js";
import { configProblemComment, uploadProblemsComment } from "../../../src/handlers/commit-comments.js";

/** What GitHub would make live of a comment: text outside code, links, images, raw HTML. */
function live(markdown: string): { text: string; links: number; html: number } {
  let text = "";
  let links = 0;
  let html = 0;
  const walker = new Parser().parse(markdown).walker();
  for (let step = walker.next(); step; step = walker.next()) {
    if (!step.entering) continue;
    const { type, literal } = step.node;
    if (type === "text") text += literal ?? "";
    if (type === "link" || type === "image") links++;
    if (type === "html_inline" || type === "html_block") html++;
  }
  return { text, links, html };
}

const HOSTILE = "x`` @everyone #1 ``\n\n[click](https://evil.example) ![p](https://evil.example/p.png) <img src=x>";

/** A repository config with `key` where a key is unknown. */
function configErrorFor(raw: unknown): InputError {
  try {
    parseRepositoryConfig(raw);
  } catch (error) {
    return error as InputError;
  }
  throw new Error("expected the config to be refused");
}

describe("untrusted text in commit comments and replies stays inert", () => {
  it("a pushed file's path (git allows backticks and newlines) is shown as code, whatever it holds", () => {
    const body = uploadProblemsComment([
      {
        path: `license-usage/uploads/${HOSTILE}.json`,
        where: "",
        problem: "expected a JSON object",
        fix: "Export it again.",
      },
    ]);
    const seen = live(body);
    expect(seen).toMatchObject({ links: 0, html: 0 });
    expect(seen.text).not.toMatch(/@everyone|#1|evil\.example/);
  });

  it.each([
    ["an unknown top-level key", { [HOSTILE]: 1 }],
    ["an unknown key in a section", { schedule: { [HOSTILE]: 1 } }],
    ["a 60,000-character key", { ["k".repeat(60_000)]: 1 }],
  ])("%s of .github/license-sync.yml is named as code and briefly, on the commit and in replies", (_, raw) => {
    const error = configErrorFor(raw);
    for (const body of [configProblemComment(error), configErrorReply(error)]) {
      const seen = live(body);
      expect(seen).toMatchObject({ links: 0, html: 0 });
      expect(seen.text).not.toMatch(/@everyone|#1|evil\.example/);
      expect(body.length).toBeLessThan(1_000);
    }
  });
});

describe("who may command, as the repository config names them", () => {
  it("restrictTo takes GitHub logins only: anything else is refused naming the entry, never shown", () => {
    const error = configErrorFor({
      commands: { restrictTo: ["mona", "hubot\n\n[click](https://evil.example) @everyone"] },
    });
    expect(error).toMatchObject({ where: "commands.restrictTo[1]" });
    expect(`${error.problem} ${error.fix}`).not.toMatch(/evil|everyone/);
    expect(() =>
      parseRepositoryConfig({ commands: { restrictTo: ["mona", "Octo-Cat", "dependabot[bot]"] } }),
    ).not.toThrow();
  });

  it("a refusal shows every login as inert code, even one that got past the schema", () => {
    const body = refusalReply("mona", { allowRepositoryAdmins: true, users: ["x`y"], restrictTo: [HOSTILE] }, "acme");
    const seen = live(body);
    expect(seen).toMatchObject({ links: 0, html: 0 });
    expect(seen.text).not.toMatch(/@everyone|#1|evil\.example/);
  });
});
