import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { readConsumedLicenses } from "../../../../src/collect/readers/consumed-licenses.js";
import { readExternalIdentitiesJson } from "../../../../src/collect/readers/identities-json.js";
import { protector } from "../../../support/builders.js";

const read = (text: string) => readConsumedLicenses(Readable.from([text]), { source: "cloud.json", protector });
const example = readFileSync(new URL("../../../../fixtures/openapi/consumed-licenses.json", import.meta.url), "utf8");
const older = readFileSync(
  new URL("../../../../fixtures/openapi/consumed-licenses.openapi-12.0.0.json", import.meta.url),
  "utf8",
);

describe("consumed-licenses reader", () => {
  it("reads GitHub's official example, drift included", async () => {
    const usage = await read(example);
    expect(usage).toMatchObject({ seatsConsumed: 5000, seatsPurchased: 4500, verifiedEmailDomains: ["github.com"] });
    expect(usage.licenses.map((l) => [l.login, l.githubComUser, l.serverUserIds.length])).toEqual([
      ["monalisa", true, 2],
      [null, false, 1],
    ]);
    expect(usage.licenses[0]!.serverUserIds[0]).toEqual({ hostname: "example_host_name.com", id: 123 });
    expect(usage.licenses[1]!.serverEmails).toEqual([protector.key("hubot@example.com")]);
  });
  it("reads the older example that names enterprise_server_primary_emails", async () => {
    const usage = await read(older);
    const keys = usage.licenses.flatMap((l) => l.serverEmails);
    expect(keys.length).toBeGreaterThan(0);
    expect(JSON.parse(older).users[0]).toHaveProperty("enterprise_server_primary_emails");
    expect(usage.licenses[0]!.serverEmails).toEqual(
      JSON.parse(older).users[0].enterprise_server_primary_emails.map((e: string) => protector.key(e)),
    );
  });
  it.each([
    ["'' for a boolean", { github_com_user: "" }, (l: { githubComUser: boolean }) => l.githubComUser === false],
    ["'true' as text", { github_com_user: "TRUE" }, (l: { githubComUser: boolean }) => l.githubComUser === true],
    ["a stray github_com_enterprise_role", { github_com_enterprise_role: "" }, () => true],
    ["enum case", { license_type: "Visual_Studio" }, (l: { visualStudioUser: boolean }) => l.visualStudioUser === true],
    ["extra keys", { cost_center: "CC-1", github_advanced_security_committer: true }, () => true],
    ["nulls", { github_com_name: null, github_com_saml_name_id: null, enterprise_server_user_ids: null }, () => true],
  ])("accepts %s", async (_name, drift, check) => {
    const usage = await read(JSON.stringify({ total_seats_consumed: 1, users: [{ github_com_login: "x", ...drift }] }));
    expect(check(usage.licenses[0] as never)).toBe(true);
  });
  it.each([
    ["an empty file", "", /cloud\.json: the file is empty/],
    ["a truncated file", '{"users":[{"github_com_login":"x"}', /line 1: the document ends early/],
    ["broken JSON inside a row", '{"users":[{"github_com_login":"x",}]}', /line 1: not valid JSON/],
    ["an empty array at the top", "[]", /users: no users found/],
    [
      "a page without users",
      '{"total_seats_consumed":1}',
      /line 1: a page with `total_seats_consumed` but no `users` list/,
    ],
    ["users that is not a list", '{"users":"x"}', /line 1, users: expected a list of user rows/],
    [
      "a bad boolean",
      '{"users":[{"github_com_login":"x","github_com_user":"maybe"}]}',
      /users\[0\]\.github_com_user: expected a boolean/,
    ],
    [
      "a bad server id",
      '{"users":[{"github_com_login":"","enterprise_server_user_ids":["nohost"]}]}',
      /users\[0\]\.enterprise_server_user_ids\[0\]: expected "host:id"/,
    ],
    [
      "a row without a login key",
      '{"total_seats_consumed":1,"users":[{"github_com_name":"x"}]}',
      /users\[0\]\.github_com_login: has neither `github_com_login` nor `github_login`/,
    ],
    [
      "negative seats",
      '{"total_seats_consumed":-1,"users":[{"github_com_login":"x"}]}',
      /page 1\.total_seats_consumed: expected a non-negative integer/,
    ],
    ["text that is neither JSON nor the license CSV", "login,email\nx,y\n", /line 1: neither JSON nor the license CSV/],
  ])("rejects %s naming the field", async (_name, text, message) => {
    await expect(read(text)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
    await expect(read(text)).rejects.toMatchObject({
      message: expect.stringMatching(/^cloud\.json(, [^:]+)?: (?!.*cloud\.json)/),
    });
  });
});

describe("external identities reader", () => {
  const readIds = (text: string) =>
    readExternalIdentitiesJson(Readable.from([text]), { source: "ids.json", protector });
  it("keys every value GitHub compares", async () => {
    const [identity] = await readIds(
      JSON.stringify([
        {
          samlIdentity: {
            nameId: "A@x.io",
            username: "b@x.io",
            emails: [{ value: "c@x.io" }],
            attributes: [
              { name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", value: "d@x.io" },
              { name: "dept", value: "e@x.io" },
            ],
          },
          scimIdentity: { username: "f@x.io", emails: [{ value: "g@x.io" }] },
          user: { login: "u" },
        },
      ]),
    );
    expect(identity!.login).toBe("u");
    expect(new Set(identity!.emailKeys)).toEqual(
      new Set(["a@x.io", "b@x.io", "c@x.io", "d@x.io", "f@x.io", "g@x.io"].map((e) => protector.key(e))),
    );
  });
  it("rejects an object and names a bad node", async () => {
    await expect(readIds("{}")).rejects.toMatchObject({
      message: expect.stringMatching(/ids\.json, page 1: is not a GraphQL response/),
    });
    await expect(readIds('[{"user":{"login":5}}]')).rejects.toMatchObject({
      message: expect.stringMatching(/ids\.json, \[0\]\.user\.login/),
    });
  });
});
