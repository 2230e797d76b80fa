import { exactNameIds } from "../../../../src/collect/readers/cloud-row.js";

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
