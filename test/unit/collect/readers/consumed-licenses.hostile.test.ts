import { Readable } from "node:stream";
import { readConsumedLicenses } from "../../../../src/collect/readers/consumed-licenses.js";
import { protector } from "../../../support/builders.js";

// Inputs as unlucky operators and hostile files give them: each must give the right totals or a
// refusal that names the place and the fix, never a value.
const read = (input: string | Buffer | Buffer[]) =>
  readConsumedLicenses(
    Readable.from(Array.isArray(input) ? input : [typeof input === "string" ? Buffer.from(input) : input]),
    { source: "cloud", protector },
  );
const row = (login: string, extra: Record<string, unknown> = {}) => ({
  github_com_login: login,
  github_com_user: true,
  license_type: "Enterprise",
  github_com_verified_domain_emails: [`${login}@corp.example`],
  ...extra,
});
const page = (total: number, rows: unknown[]) =>
  JSON.stringify({ total_seats_consumed: total, total_seats_purchased: 200, users: rows });
const HEADER =
  "github_com_login,github_com_name,enterprise_server_user_ids,github_com_user,enterprise_server_user,visual_studio_subscription_user,license_type,github_com_verified_domain_emails";

describe("consumed-licenses reader, hostile inputs", () => {
  describe("bytes that are not UTF-8 (a CSV saved by a spreadsheet in Windows-1252)", () => {
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER}\nmona,Mona,,true,false,false,Enterprise,mona@corp.example\njose,Jos`),
      Buffer.from([0xe9]),
      Buffer.from(",,true,false,false,Enterprise,jos"),
      Buffer.from([0xe9]),
      Buffer.from("@corp.example\n"),
    ]);
    it("are refused naming the line and the encoding, not read as replacement characters", async () => {
      await expect(read(latin1)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/^cloud, line 3: not UTF-8 .*Save the file as UTF-8/),
      });
    });
    it("are refused however the bytes are cut", async () => {
      const at = latin1.indexOf(0xe9);
      await expect(read([latin1.subarray(0, at), latin1.subarray(at)])).rejects.toMatchObject({
        message: expect.stringMatching(/line 3: not UTF-8/),
      });
      await expect(read([latin1.subarray(0, at + 1), latin1.subarray(at + 1)])).rejects.toMatchObject({
        message: expect.stringMatching(/line 3: not UTF-8/),
      });
    });
    it("a JSON file too, and a file cut inside a character", async () => {
      const json = Buffer.concat([
        Buffer.from(
          `{"total_seats_consumed":1,\n"users":[{"github_com_login":"jose","github_com_verified_domain_emails":["jos`,
        ),
        Buffer.from([0xe9]),
        Buffer.from('@corp.example"]}]}'),
      ]);
      await expect(read(json)).rejects.toMatchObject({ message: expect.stringMatching(/^cloud, line 2: not UTF-8/) });
      const whole = Buffer.from(page(1, [row("jos\u00e9")]));
      await expect(read(whole.subarray(0, whole.indexOf(0xc3) + 1))).rejects.toMatchObject({ exitCode: 2 });
    });
  });

  describe("the billing CSV as spreadsheets save it", () => {
    it("a line of empty cells (a spreadsheet's trailing rows) is not a person", async () => {
      const csv = [
        HEADER,
        "mona,Mona,,true,false,false,Enterprise,mona@corp.example",
        ",,,,,,,",
        "hubot,Hubot,,true,false,false,Enterprise,",
        ",,,,,,,",
        "",
      ].join("\r\n");
      const cloud = await read(csv);
      expect(cloud.licenses.map((l) => l.login)).toEqual(["mona", "hubot"]);
      expect(cloud.seatsConsumed).toBe(2);
    });
  });

  describe("totals that do not add up are never called complete", () => {
    it("more distinct rows than total_seats_consumed (pages of two different saves)", async () => {
      const rows = Array.from({ length: 102 }, (_, i) => row(`user${i}`));
      const cloud = await read(page(101, rows));
      expect(cloud.completeness).toBe("partial");
      expect(cloud.licenses).toHaveLength(102);
    });
    it("rows under a total of 0", async () => {
      expect((await read(page(0, [row("a"), row("b")]))).completeness).toBe("partial");
    });
    it("pages that disagree on total_seats_consumed (the list changed while it was saved)", async () => {
      const cloud = await read(page(5, [row("a"), row("b")]) + page(3, [row("c")]));
      expect(cloud.completeness).toBe("partial");
    });
    it("the same page saved twice is still the partial list it is", async () => {
      const cloud = await read(page(4, [row("a"), row("b")]) + page(4, [row("a"), row("b")]));
      expect(cloud).toMatchObject({ completeness: "partial", duplicates: 2 });
    });
    it("a whole list whose pages agree stays checked", async () => {
      expect((await read(page(3, [row("a"), row("b")]) + "\n" + page(3, [row("c")]))).completeness).toBe("checked");
    });
  });

  describe("JSON that says two things at once", () => {
    it("a page key given twice is refused naming it (JSON.parse would keep the last silently)", async () => {
      const text = `{"total_seats_consumed":1,\n"users":[${JSON.stringify(row("a"))},${JSON.stringify(row("b"))}],"total_seats_consumed":2}`;
      await expect(read(text)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/^cloud, line 2: key `total_seats_consumed` appears twice in one object/),
      });
    });
  });

  describe("a `__proto__` key is a field like any other, as JSON.parse reads it", () => {
    const hidden = JSON.stringify(row("mona"));
    it("a bare row whose fields hide under `__proto__` has no login key and is refused as such", async () => {
      await expect(read(`{"__proto__":${hidden}}\n`)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/^cloud, line 1\.github_com_login: has neither `github_com_login`/),
      });
    });
    it("a page's totals and users hidden under `__proto__` are not read as the page's", async () => {
      const text = `{"__proto__":{"total_seats_consumed":1,"users":[]},"github_com_login":"lisa"}\n`;
      const file = await read(text);
      expect(file.licenses.map((license) => license.login)).toEqual(["lisa"]);
      expect(file.seatsConsumed).toBe(1);
    });
    it("a `__proto__` key given twice is refused naming it", async () => {
      await expect(read(`{"github_com_login":"lisa","__proto__":{},"__proto__":{}}\n`)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/appears twice in one object/),
      });
    });
  });

  describe("values as the live API writes them", () => {
    it("a numeric SAML NameID beyond 2^53 keeps every digit", async () => {
      const text = page(1, [row("a", { github_com_saml_name_id: 0 })]).replace(
        '"github_com_saml_name_id":0',
        '"github_com_saml_name_id": 12345678901234567890123',
      );
      const ghe = page(1, [{ github_login: "b", github_saml_name_id: 0 }]).replace(
        '"github_saml_name_id":0',
        '"github_saml_name_id":98765432109876543210',
      );
      expect((await read(text)).licenses[0]!.samlNameId).toBe(protector.key("12345678901234567890123"));
      expect((await read(ghe)).licenses[0]!.samlNameId).toBe(protector.key("98765432109876543210"));
      expect((await read(`[${text}]`)).licenses[0]!.samlNameId).toBe(protector.key("12345678901234567890123"));
      expect(
        (await read('[{"github_com_login":"a","github_com_saml_name_id":12345678901234567890123}]')).licenses[0]!
          .samlNameId,
      ).toBe(protector.key("12345678901234567890123"));
    });
    it("a NameID key inside a string value is left alone", async () => {
      const cloud = await read(
        page(1, [
          row("a", { github_com_name: 'x","github_com_saml_name_id":1', github_com_saml_name_id: "n@corp.example" }),
        ]),
      );
      expect(cloud.licenses[0]!.samlNameId).toBe(protector.key("n@corp.example"));
    });
    it("an empty github_com_login next to a GHE.com github_login takes the login that is there", async () => {
      const cloud = await read(page(1, [{ github_com_login: "", github_login: "mona", github_user: true }]));
      expect(cloud.licenses[0]).toMatchObject({ login: "mona", githubComUser: true });
    });
  });
});
