import { InputError } from "../../../src/shared/errors.js";
import { failureReply } from "../../../src/jobs/flow/replies.js";
import { figuresChangedComment, renderDivergenceBody } from "../../../src/publish/divergences/issue-body.js";
import { cell, code, codeSpan, inlineProse, inlineText, mdTable, trusted, ZWJ } from "../../../src/shared/markdown.js";
import { renderSummaryMarkdown } from "../../../src/publish/summary/markdown.js";
import { UNMERGED_REASONS } from "../../../src/shared/report.js";
import { person, smallReport } from "../../support/record.js";

/**
 * Untrusted strings (an email's domain, a login, a hostname, GitHub's sync error) rendered into
 * issues must stay text: no ping, no cross-reference, no link, no image, no HTML, no formatting,
 * no breaking out of a table cell or a line.
 */

/** What GitHub would act on in rendered text (mentions, references, autolinks), or Markdown/HTML syntax. */
const ACTIVE = [
  /@[A-Za-z0-9-]/, // @everyone, @acme/team, a@b.example (a mention or an address needs @ right before the name)
  /#\d/, // #1, acme/repo#1
  /\bGH-\d/i,
  /[a-z]:\/\//i, // https://…
  /\bwww\./i,
  /(^|[^\\])[[\]`*_~|]/, // unescaped link, image, code, emphasis, table syntax
  /[<>]/, // HTML
  /[\r\n]/,
];
const activeIn = (text: string) => ACTIVE.filter((pattern) => pattern.test(text)).map(String);

const VECTORS: Array<[string, string, string]> = [
  ["a mention of everyone", "m***@everyone", `m\\*\\*\\*@${ZWJ}everyone`],
  ["a team mention", "a***@acme/license-admins", `a\\*\\*\\*@${ZWJ}acme/license-admins`],
  ["an issue reference", "x***@corp.example #1", `x\\*\\*\\*@${ZWJ}corp.example #${ZWJ}1`],
  ["a cross-repository reference", "see acme/license-admin#12", `see acme/license-admin#${ZWJ}12`],
  ["a GH- reference", "GH-1 and gh-22", `GH-${ZWJ}1 and gh-${ZWJ}22`],
  ["an image", "![t](https://evil.example/p.png)", `!\\[t\\](https${ZWJ}://evil.example/p.png)`],
  ["a link", "[click](https://evil.example)", `\\[click\\](https${ZWJ}://evil.example)`],
  [
    "an autolink",
    "https://evil.example/x and http://a.example",
    `https${ZWJ}://evil.example/x and http${ZWJ}://a.example`,
  ],
  ["a www autolink", "go to www.evil.example", `go to www${ZWJ}.evil.example`],
  ["an angle-bracket autolink", "<https://evil.example>", `&lt;https${ZWJ}://evil.example&gt;`],
  ["an email autolink", "mailto:a@b.example", `mailto${ZWJ}:a@${ZWJ}b.example`],
  ["backticks", "a `code` span and ``` fence", "a \\`code\\` span and \\`\\`\\` fence"],
  [
    "HTML",
    '<img src="x" onerror="alert(1)"> & <b>bold</b>',
    '&lt;img src="x" onerror="alert(1)"&gt; &amp; &lt;b&gt;bold&lt;/b&gt;',
  ],
  ["table pipes", "a | b || c", "a \\| b \\|\\| c"],
  ["new lines", "one\ntwo\r\nthree\u2028four", "one two three four"],
  ["emphasis and strike-through", "*a* _b_ ~~c~~ **d**", "\\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\*\\*d\\*\\*"],
  ["a backslash before markup", "\\[x](y)", "\\\\\\[x\\](y)"],
];

test("inlineText and cells never carry a terminal escape sequence (markdown is printed on terminals too)", () => {
  for (const render of [inlineText, cell]) {
    const text = render("cloud\u001b[2J\u001b]0;PWNED\u0007\u202Eocto\u009b");
    // eslint-disable-next-line no-control-regex -- the point of the check
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain("\\x1b");
  }
});

describe("inlineText makes untrusted text inert", () => {
  test.each(VECTORS)("%s", (_name, input, expected) => {
    const rendered = inlineText(input);
    expect(rendered).toBe(expected);
    expect(activeIn(rendered)).toEqual([]);
    // Read back without the joiner and the escapes, it says what the data said.
    const readBack = rendered
      .replaceAll(ZWJ, "")
      .replace(/\\(.)/g, "$1")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
    expect(readBack).toBe(input.replace(/[\r\n\u2028]+/g, " "));
  });

  test("the checks above can fail: raw vectors are active", () => {
    const inactive = VECTORS.filter(
      ([name, input]) => name !== "a backslash before markup" && activeIn(input).length === 0,
    ).map(([name]) => name);
    expect(inactive).toEqual([]);
  });
});

test("a masked email cannot ping its domain, nor autolink as an address", () => {
  const rendered = cell("m***@acme.example");
  expect(rendered).toBe(`m\\*\\*\\*@${ZWJ}acme.example`);
  expect(rendered).not.toMatch(/@[a-z]/);
});

test("table cells escape data but keep the app's own markup; empty cells read –", () => {
  const table = mdTable(
    ["Instance", "Seats"],
    [
      ["ghes|a <b>", 3],
      [trusted("**Total**"), trusted("**3**")],
      [null, ""],
    ],
    ["l", "r"],
  );
  expect(table).toBe(
    ["| Instance | Seats |", "| --- | ---: |", "| ghes\\|a &lt;b&gt; | 3 |", "| **Total** | **3** |", "| – | – |"].join(
      "\n",
    ),
  );
});

test("an underscore inside a word stays; one that could open emphasis is escaped", () => {
  expect(inlineText("LICENSE_SYNC_SECRET _x_ a_")).toBe("LICENSE_SYNC_SECRET \\_x\\_ a\\_");
});

describe("inlineProse keeps the app's code spans and escapes the rest", () => {
  test.each([
    ["field `server.hostname` is @everyone", `field \`server.hostname\` is @${ZWJ}everyone`],
    ["`a` [x](https://e.example) `b`", `\`a\` \\[x\\](https${ZWJ}://e.example) \`b\``],
    // Backtick runs CommonMark would not pair the same way are escaped, never trusted as code.
    ["```@everyone`", `\\\`\\\`\\\`@${ZWJ}everyone\\\``],
    ["\\`@everyone`", `\\\\\\\`@${ZWJ}everyone\\\``],
  ])("%j", (input, expected) => {
    expect(inlineProse(input)).toBe(expected);
  });
});

test("a code span holds anything without breaking out", () => {
  expect(code("a`b\nc @everyone")).toBe("`a'b c @everyone`");
});

describe("every renderer escapes the data it is given", () => {
  const HOSTILE = [
    "@everyone",
    "@acme/license-admins",
    "#1",
    "GH-1",
    "![t](https://evil.example/p.png)",
    "[click](https://evil.example)",
    "`evil`",
    "<img src=x>",
    "www.evil.example",
  ];
  const hostile = HOSTILE.join(" ");
  const people = UNMERGED_REASONS.map((reason, i) => ({
    ...person(i + 1, reason),
    maskedEmail: `h***@${HOSTILE[i % 2]!.slice(1)}`,
    accounts: [`${hostile}:${i}`],
    likelyCloudLogin: hostile,
    // Written into the fixes of `similarCloudAccount` and `domainNotVerified`.
    unverifiedDomain: hostile,
  }));
  const report = smallReport({
    people,
    servers: [{ hostname: hostile, accounts: 1, billableAccounts: 1, persons: 1, matchedToCloud: 0, serverOnly: 1 }],
    divergences: [
      {
        kind: "stale-sync",
        severity: "critical",
        // Its sentence names the host and quotes the status and error: all three hostile.
        figures: { reason: "failed", error: hostile, status: hostile },
        subject: hostile,
      },
    ],
  });
  /** The raw vectors still in `text` outside the hidden markers (URI- or base64-encoded, inert in a comment). */
  const raw = (text: string) => HOSTILE.filter((vector) => text.replace(/<!--[^>]*-->/g, "").includes(vector));
  /**
   * The sentence's sync status is one code span (inert: nothing inside renders, pings or links);
   * `text` must hold it as `codeSpan` fences it, and nothing raw outside it.
   */
  const rawBesideStatus = (text: string) => {
    expect(text).toContain(`(status ${codeSpan(hostile)})`);
    return raw(text.replace(`(status ${codeSpan(hostile)})`, ""));
  };

  test("the summary issue body", () => {
    const body = renderSummaryMarkdown(report, { topPeople: 6 });
    expect(body).toContain(`h\\*\\*\\*@${ZWJ}everyone`);
    expect(rawBesideStatus(body)).toEqual([]);
  });

  test("a divergence issue body and its figures comment", () => {
    const body = renderDivergenceBody(report.divergences[0]!, "acme", {
      figures: {},
      openedRun: "r1",
      openedOn: "2026-11-30",
      changedRun: "r1",
    });
    expect(rawBesideStatus(body)).toEqual([]);
    expect(raw(figuresChangedComment({ error: "old" }, { error: hostile }, "r2"))).toEqual([]);
  });

  test("a failure reply quoting an error", () => {
    // Any other error's text is one code span (nothing inside renders), with no backtick to close it early.
    const reply = failureReply("r3", new Error(`GitHub said: ${hostile}`));
    expect(reply).toMatch(/failed: `GitHub said: [^`\n]*`$/m);
    // A problem keeps its code spans as code (inert): "`evil`" may stay one; nothing else may stay raw.
    const activeOnly = (text: string) => raw(text).filter((vector) => vector !== "`evil`");
    expect(
      activeOnly(
        failureReply(
          "r4",
          new InputError("license-usage/uploads/ghes-b.json", "server.hostname", `is ${hostile}`, "Fix it."),
        ),
      ),
    ).toEqual([]);
  });
});
