import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { MAX_IDENTITY_BYTES, readExternalIdentitiesJson } from "../../../../src/collect/readers/identities-json.js";
import type { ExternalIdentity } from "../../../../src/shared/report.js";
import { fixture } from "../../../support/cli.js";
import { protector } from "../../../support/builders.js";

const bytesOf = (name: string) => readFileSync(fixture(`identities/${name}`));
const read = (chunks: Iterable<Buffer | string>, source = "ids.json"): Promise<ExternalIdentity[]> =>
  readExternalIdentitiesJson(Readable.from(chunks), { source, protector });
const failure = (chunks: Iterable<Buffer | string>) =>
  read(chunks).then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: Error) => error,
  );

const NODES = bytesOf("nodes.json");

describe("--identities reader: every saved form (fixtures/identities)", () => {
  let expected: ExternalIdentity[];
  beforeAll(async () => {
    expected = await read([NODES]);
    expect(expected.map((identity) => identity.login)).toEqual(["octocat", "lsmith", "monalisa", null]);
  });

  it.each([
    "enterprise.one-page.json",
    "enterprise.paginate.json",
    "enterprise.paginate.ndjson",
    "enterprise.slurp.json",
    "enterprise.edges.json",
    "organization.paginate.json",
  ])("%s gives the same identities as the bare node array", async (name) => {
    expect(await read([bytesOf(name)])).toEqual(expected);
  });

  it("reads pages written with nothing between them (`}{`)", async () => {
    const pages = bytesOf("enterprise.paginate.ndjson").toString("utf8").trim().split("\n");
    expect(await read([pages.join("")])).toEqual(expected);
  });

  it("gives identical identities wherever a read chunk ends: every byte offset, a non-ASCII email included", async () => {
    const withAccent = (name: string) =>
      Buffer.from(bytesOf(name).toString("utf8").replace("octo.cat@acme.example", "josé.núñez@acme.example"));
    const bytes = withAccent("enterprise.paginate.ndjson");
    const whole = await read([bytes]);
    expect(whole[0]!.emailKeys).toContain(protector.key("josé.núñez@acme.example"));
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await read([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });

  it("gives identical identities for random three-way cuts of the array forms", async () => {
    let seed = 7;
    const random = (below: number) => (seed = (seed * 48271) % 2147483647) % below;
    for (const name of ["enterprise.slurp.json", "nodes.json", "enterprise.edges.json"]) {
      const bytes = Buffer.from(
        bytesOf(name).toString("utf8").replace("octo.cat@acme.example", "josé.núñez@acme.example"),
      );
      const whole = await read([bytes]);
      for (let trial = 0; trial < 100; trial++) {
        const [a, b] = [random(bytes.length), random(bytes.length)].sort((x, y) => x - y);
        expect(await read([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)])).toEqual(whole);
      }
    }
  });

  it("reads an empty node array and an empty page as no identities", async () => {
    expect(await read(["[]"])).toEqual([]);
    expect(
      await read([
        '{"data":{"enterprise":{"ownerInfo":{"samlIdentityProvider":{"externalIdentities":{"pageInfo":{"hasNextPage":false},"nodes":[]}}}}}}',
      ]),
    ).toEqual([]);
  });
});

describe("--identities reader: refusals name the place and the fix, never a value", () => {
  it.each([
    [
      "only the first of several pages",
      "enterprise.first-page-only.json",
      /ids\.json, page 1: says hasNextPage: true, but no page follows.*Save every page: `gh api graphql --paginate/,
    ],
    [
      "a GraphQL error response",
      "graphql-errors.json",
      /ids\.json, page 1: is a GraphQL error response.*save the response again/,
    ],
    [
      "an enterprise without SAML",
      "enterprise.no-saml.json",
      /page 1: holds no data\.enterprise\.ownerInfo\.samlIdentityProvider\.externalIdentities.*leave --identities out/,
    ],
  ])("%s", async (_name, file, message) => {
    const error = await failure([bytesOf(file)]);
    expect(error).toMatchObject({ name: "InputError", exitCode: 2 });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("Resource not accessible");
  });

  it.each([
    [
      "another file given as identities",
      '{"total_seats_consumed":1,"users":[{"github_com_login":"mona","enterprise_server_primary_emails":["leaky.person@corp.example"]}]}',
      /page 1: is not a GraphQL response/,
    ],
    [
      "a node of the wrong shape",
      '[{"user":{"login":"mona"}},{"samlIdentity":{"nameId":42}}]',
      /\[1\]\.samlIdentity\.nameId: Invalid input: expected string/,
    ],
    [
      "a node of the wrong shape in a page",
      '{"data":{"enterprise":{"ownerInfo":{"samlIdentityProvider":{"externalIdentities":{"nodes":[{"samlIdentity":{"emails":"leaky.person@corp.example"}}]}}}}}}',
      /page 1, enterprise nodes\[0\]\.samlIdentity\.emails: Invalid input/,
    ],
    [
      "broken JSON right after an email",
      '[{"samlIdentity":{"nameId":"leaky.person@corp.example" "x"}}]',
      /ids\.json, byte \d+: not valid JSON near there/,
    ],
    ["a truncated file", '[{"samlIdentity":{"nameId":"leaky.person@corp.example"}', /the document ends early/],
    ["a number", "42", /expected a JSON array or a GraphQL response object/],
    ["an empty file", "  \n", /ids\.json: the file is empty/],
  ])("%s", async (_name, text, message) => {
    const error = await failure([text]);
    expect(error).toMatchObject({ name: "InputError", exitCode: 2 });
    expect(error.message).toMatch(message);
    for (const part of ["leaky", "person", "corp.example"]) expect(error.message).not.toContain(part);
  });

  it("refuses bytes that are not UTF-8, naming the byte", async () => {
    const error = await failure([
      Buffer.from('[{"samlIdentity":{"nameId":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}]'),
    ]);
    expect(error.message).toMatch(/ids\.json, byte \d+: is not valid UTF-8 text\. Save the file as UTF-8/);
  });

  it("refuses a value that never ends before holding it, naming where it starts", async () => {
    function* endless(): Generator<Buffer> {
      yield Buffer.from('[{"samlIdentity":{"nameId":"');
      const chunk = Buffer.alloc(64 * 1024, "a");
      for (;;) yield chunk;
    }
    const error = await failure(endless());
    expect(error.message).toMatch(
      new RegExp(
        `ids\\.json, byte \\d+: a value there runs over ${MAX_IDENTITY_BYTES / 1024 / 1024} MiB without completing an identity`,
      ),
    );
  });
});
