import {
  consumedLicenseRowSchema,
  exactNameIds,
  toCloudLicense,
  verifiedDomainsOfRow,
  type ConsumedLicenseRow,
} from "../../../../src/collect/readers/cloud-row.js";
import { createEmailProtector, type EmailProtector } from "../../../../src/privacy/protect.js";

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
    '{"total_seats_consumed":1,"users":[{"github_com_saml_name_id":"mona@corp.example","x":{"github_com_saml_name_id":12345678901234567890}}]}',
    '{"total_seats_consumed":1,"users":[{"github_com_login":"mona"},null,7]}',
  ])("reads a page whose rows hold no long numeric NameID as JSON.parse does: %s", (text) => {
    expect(exactNameIds(text)).toEqual(JSON.parse(text));
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

describe("toCloudLicense", () => {
  const protector = createEmailProtector({ secret: "cloud-row-test" });
  const rowOf = (fields: Record<string, unknown>) =>
    consumedLicenseRowSchema.parse({ github_com_login: "", ...fields });
  /** Distinct non-null keys of `values`, in first-seen order: what each list must hold. */
  const distinct = (values: Array<string | null>) => [...new Set(values.filter((value) => value !== null))];

  it("keys each list whole and in order, without repeats, whatever its length", () => {
    const verified = Array.from({ length: 20 }, (_, i) => `person.${i}@corp.example`);
    const server = ["Mona@Corp.example", "mona@corp.example", "octo@corp.example"];
    const primary = ["octo@corp.example", "cat@corp.example"];
    const license = toCloudLicense(
      rowOf({
        github_com_login: "mona-cat",
        github_com_name: "Mona Lisa",
        github_com_saml_name_id: "mona@corp.example",
        github_com_verified_domain_emails: [...verified, verified[3]],
        enterprise_server_emails: server,
        enterprise_server_primary_emails: primary,
      }),
      7,
      protector,
    );
    expect(license.handleKeys).toEqual(
      distinct(["mona-cat", "Mona Lisa", "mona@corp.example", ...verified].map(protector.handleKey)),
    );
    expect(license.handleKeys.length).toBeGreaterThan(16);
    expect(license.serverEmails).toEqual(distinct([...server, ...primary].map(protector.key)));
    expect(license.serverEmails).toHaveLength(3);
    expect(license.verifiedDomainEmails).toEqual(verified.map(protector.key));
    expect(license.samlNameId).toBe(protector.key("mona@corp.example"));
    expect(license.index).toBe(7);
  });

  it("gives a row without values empty lists, and one row's keys never reach the next row", () => {
    const first = toCloudLicense(
      rowOf({ github_com_login: "mona-cat", enterprise_server_emails: ["mona@corp.example"] }),
      0,
      protector,
    );
    const empty = toCloudLicense(rowOf({}), 1, protector);
    expect(empty.handleKeys).toEqual([]);
    expect(empty.serverEmails).toEqual([]);
    expect(empty.verifiedDomainEmails).toEqual([]);
    expect(first.handleKeys).toEqual([protector.handleKey("mona-cat")]);
    expect(first.serverEmails).toEqual([protector.key("mona@corp.example")]);
  });

  it("leaves nothing of a row whose keying failed in the next row's lists", () => {
    let calls = 0;
    const failing: EmailProtector = {
      ...protector,
      key: (raw) => {
        if (++calls === 2) throw new Error("keying failed");
        return protector.key(raw);
      },
    };
    const row = rowOf({ enterprise_server_emails: ["mona@corp.example", "octo@corp.example"] });
    expect(() => toCloudLicense(row, 0, failing)).toThrow("keying failed");
    const next = toCloudLicense(rowOf({ enterprise_server_emails: ["cat@corp.example"] }), 1, failing);
    expect(next.serverEmails).toEqual([protector.key("cat@corp.example")]);
    expect(next.handleKeys).toEqual([]);
  });
});
