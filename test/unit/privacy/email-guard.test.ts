import { Writable } from "node:stream";
import { UnrecoverableError } from "bullmq";
import nock from "../../support/nock.js";
import { pino } from "pino";
import { InputError } from "../../../src/shared/errors.js";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import { toQueueError } from "../../../src/jobs/flow/failure.js";
import { maskEmails, maskError, removeEmails } from "../../../src/privacy/email-guard.js";
import { maskEmail } from "../../../src/privacy/protect.js";
import { createRootLogger } from "../../../src/runtime/logger.js";
import { seededRandom } from "../../support/seeded-random.js";

/**
 * Each chokepoint of the email guard on its own: the text, the logger factories' hook, the
 * failure BullMQ stores, the Octokit plugin on GitHub writes. (test/e2e/*\/email-leaks.test.ts
 * push every bad input through the whole product.)
 */

const API = "https://api.github.example";
beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe("maskEmails", () => {
  test("masks clear addresses, also as Markdown renders them, and leaves masked ones as written", () => {
    expect(maskEmails("Leaky.Person@Corp.Example")).toBe("l***@corp.example");
    expect(maskEmails("leaky\\_person@\u200Dcorp.example")).toBe("l***@\u200Dcorp.example");
    expect(maskEmails("m\\*\\*\\*@\u200Dcorp.example and m***@corp.example")).toBe(
      "m\\*\\*\\*@\u200Dcorp.example and m***@corp.example",
    );
    expect(maskEmails("https://docs.github.com/en/enterprise-cloud@latest/billing")).toBe(
      "https://docs.github.com/en/enterprise-cloud@latest/billing",
    );
  });

  test("finds the same addresses as the patterns it implements, on random text", () => {
    // The patterns of email-guard.ts, quoted local parts first (these were ASCII-only, unquoted, before).
    const DOMAIN = String.raw`@\u200D?[\p{L}\p{N}\p{M}-]+(?:\.[\p{L}\p{N}\p{M}-]+)+`;
    const QUOTED = new RegExp(String.raw`"[^"\n]{1,254}"` + DOMAIN, "gu");
    const NON_ASCII = String.raw`[^\x00-\x7F\s\u200B-\u200D\u2060]`;
    const UNQUOTED = new RegExp(
      String.raw`(?:[A-Za-z0-9.!#$%&'*+/=?^_\x60{|}~-]|${NON_ASCII})(?:[A-Za-z0-9.!#$%&'*+/=?^_\x60{|}~\\-]|${NON_ASCII})*` +
        DOMAIN,
      "gu",
    );
    const EMAIL = {
      [Symbol.replace]: (text: string, replace: (address: string) => string) =>
        text.replace(QUOTED, replace).replace(UNQUOTED, replace),
    };
    const isMasked = (address: string) =>
      /^.?\*\*\*$/.test(address.slice(0, address.lastIndexOf("@")).replace(/\\/g, ""));
    const reference = (text: string) =>
      text.replace(EMAIL, (address: string) => (isMasked(address) ? address : maskEmail(address.toLowerCase())));
    const next = seededRandom(7);
    const alphabet = [
      "a",
      "B",
      "0",
      ".",
      "-",
      "_",
      "\\",
      "*",
      "@",
      "@",
      "\u200D",
      " ",
      ",",
      '"',
      "é",
      "\n",
      "x.y",
      "m***",
      "山",
      "\u00a0",
      "ü",
      "😀",
    ];
    for (let n = 0; n < 20_000; n++) {
      let text = "";
      const length = Math.floor(next() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      expect([text, maskEmails(text)]).toEqual([text, reference(text)]);
      expect([text, removeEmails(text)]).toEqual([text, text.replace(EMAIL, () => "[email removed]")]);
    }
  });

  test("masks internationalized, quoted, plus-addressed and uppercase addresses, in plain text and in JSON log lines", () => {
    expect(maskEmails("for josé.garcía@corp.example")).toBe("for j***@corp.example");
    expect(maskEmails("for mona@bücher.example and 山田@例え.jp")).toBe("for m***@bücher.example and 山***@例え.jp");
    expect(maskEmails('for "mona lisa"@corp.example.')).toBe('for "***@corp.example.');
    expect(maskEmails('for "mona@lisa"@corp.example')).toBe('for "***@corp.example');
    expect(maskEmails("Mona.Lisa+Billing@CORP.Example")).toBe("m***@corp.example");
    // A log line is JSON: the quotes of a quoted local part come escaped, and the line must stay JSON.
    const line = JSON.stringify({ msg: 'bad row for "mona lisa"@corp.example', err: "josé@corp.example" });
    const masked = maskEmails(line);
    expect(JSON.parse(masked)).toEqual({ msg: 'bad row for "***@corp.example', err: "j***@corp.example" });
    for (const text of [masked, maskEmails("for mona@bücher.example and 山田@例え.jp")]) {
      expect(text).not.toMatch(/lisa|osé|ona@|田@/);
    }
    // An escaped line break or backslash just before an address stays one: the line stays JSON.
    const escaped = JSON.stringify({ msg: "rows:\nmona@corp.example", path: "C:\\lisa@corp.example" });
    expect(JSON.parse(maskEmails(escaped))).toEqual({ msg: "rows:\n***@corp.example", path: "C:\\l***@corp.example" });
    // Nothing to hide, left as written: no local part, no domain, a lone @, masked forms.
    for (const text of [
      "@corp.example",
      "mona@",
      "@",
      "a @ b",
      '""@corp.example',
      "j***@corp.example",
      '"***@corp.example',
    ])
      expect(maskEmails(text)).toBe(text);
  });

  test("maskError masks message and stack in place, keeping the error's class", () => {
    const error = maskError(new UnrecoverableError("bad row for leaky.person@corp.example"));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe("bad row for l***@corp.example");
    expect(error.stack).not.toContain("leaky.person");
  });
});

test("the root logger masks every field of every line, children included", async () => {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
  const logger = await createRootLogger({ level: "debug", destination });
  logger
    .child({ requester: "leaky.child@corp.example" })
    .warn(
      { err: new Error("leaky.err@corp.example failed"), field: { nested: "leaky.nested@corp.example" } },
      "for leaky.msg@corp.example",
    );
  const text = lines.join("");
  expect(text).toContain("l***@corp.example");
  expect(text).not.toMatch(/leaky\.[a-z]+@/);
  // Without the hook, the same line would carry them: the check above can fail.
  const raw: string[] = [];
  pino({}, new Writable({ write: (chunk, _encoding, done) => void (raw.push(String(chunk)), done()) })).warn(
    "for leaky.msg@corp.example",
  );
  expect(raw.join("")).toContain("leaky.msg@corp.example");
});

test("what BullMQ stores of a failed job (message and stack) is masked, for input errors and others", () => {
  const input = toQueueError(new InputError("all_users.csv", "line 2", "value leaky.person@corp.example", "Fix it."));
  expect(input).toBeInstanceOf(UnrecoverableError);
  expect(`${input.message}\n${input.stack}`).not.toContain("leaky.person");
  const other = toQueueError(new TypeError("cannot read leaky.other@corp.example"));
  expect(other).toBeInstanceOf(TypeError);
  expect(`${other.message}\n${other.stack}`).not.toContain("leaky.other");
});

test("every GitHub write a client makes is masked: comment bodies, titles, commit messages, committed files; reads are left alone", async () => {
  const client = createGhecClient({ apiUrl: API, token: "t", logger: pino({ level: "silent" }) });
  const seen: unknown[] = [];
  const record = (body: unknown) => seen.push(body) > 0;
  nock(API)
    .post("/repos/acme/admin/issues", record)
    .reply(201, { number: 1 })
    .put("/repos/acme/admin/contents/people.csv", record)
    .reply(200, {})
    .get("/search/issues")
    .query({ q: "leaky.query@corp.example" })
    .reply(200, { items: [] });
  await client.request("POST /repos/{owner}/{repo}/issues", {
    owner: "acme",
    repo: "admin",
    title: "for leaky.title@corp.example",
    body: "row of leaky.body@corp.example",
  });
  await client.request("PUT /repos/{owner}/{repo}/contents/{path}", {
    owner: "acme",
    repo: "admin",
    path: "people.csv",
    message: "by leaky.commit@corp.example",
    content: Buffer.from("email\nleaky.file@corp.example\n").toString("base64"),
  });
  await client.request("GET /search/issues", { q: "leaky.query@corp.example" });
  const [issue, file] = seen as Array<Record<string, string>>;
  expect(issue).toEqual({ title: "for l***@corp.example", body: "row of l***@corp.example" });
  expect(file!.message).toBe("by l***@corp.example");
  expect(Buffer.from(file!.content!, "base64").toString("utf8")).toBe("email\nl***@corp.example\n");
});
