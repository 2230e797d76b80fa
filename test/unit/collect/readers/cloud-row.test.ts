import {
  exactNameIds,
  verifiedDomainsOfRow,
  type ConsumedLicenseRow,
} from "../../../../src/collect/readers/cloud-row.js";

describe("exactNameIds", () => {
  it.each([
    ['{"github_com_saml_name_id":12345678901234567890123}', "12345678901234567890123"],
    ['{"github_com_saml_name_id" :\t-12345678901234567890}', "-12345678901234567890"],
    ['{"github_saml_name_id":\n 1234567890123456 }', "1234567890123456"],
    ['{"x":"\\"github_com_saml_name_id\\":1","github_com_saml_name_id": 98765432109876543210}', "98765432109876543210"],
  ])("keeps every digit of a long numeric NameID, whatever the spacing: %s", (text, digits) => {
    const row = exactNameIds(text) as Record<string, unknown>;
    expect(row.github_com_saml_name_id ?? row.github_saml_name_id).toBe(digits);
  });

  it("keeps every digit in every row of a whole page (the App collector parses pages)", () => {
    const page = exactNameIds(
      '{"total_seats_consumed":2,"users":[{"github_com_saml_name_id":12345678901234567890123},{"github_saml_name_id": -98765432109876543210}]}',
    ) as { users: Array<Record<string, unknown>> };
    expect(page.users[0]!.github_com_saml_name_id).toBe("12345678901234567890123");
    expect(page.users[1]!.github_saml_name_id).toBe("-98765432109876543210");
  });

  it.each([
    ['{"github_com_saml_name_id":123}', 123],
    ['{"github_com_saml_name_id":"12345678901234567890"}', "12345678901234567890"],
    ['{"github_com_saml_name_id":null}', null],
    ['{"github_com_login":"saml_name_id\\":12345678901234567890"}', undefined],
  ])("reads anything else as JSON.parse does: %s", (text, value) => {
    expect((exactNameIds(text) as Record<string, unknown>).github_com_saml_name_id).toEqual(value);
    expect(exactNameIds(text)).toEqual(JSON.parse(text));
  });
});

describe("verifiedDomainsOfRow", () => {
  const domainsOf = (emails: string[]) =>
    verifiedDomainsOfRow({ github_com_verified_domain_emails: emails } as unknown as ConsumedLicenseRow);

  it("gives the lower-cased domain of each verified-domain email, in order", () => {
    expect(domainsOf([" Mona@Corp.Example ", "hubot@octo.example"])).toEqual(["corp.example", "octo.example"]);
  });

  it.each([
    ["no-at-sign", []],
    ["mona@", []],
    ["a@b@c", ["b"]],
    ["@corp.example", ["corp.example"]],
  ])("takes the text after the first @ up to the next: %s", (email, domains) => {
    expect(domainsOf([email])).toEqual(domains);
  });

  it("is the empty list for a row without verified-domain emails", () => {
    expect(domainsOf([])).toEqual([]);
  });
});
