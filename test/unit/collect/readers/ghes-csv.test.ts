import { Readable } from "node:stream";
import { readAllUsersCsv } from "../../../../src/collect/readers/ghes-csv.js";
import type { ServerAccount } from "../../../../src/shared/report.js";
import { protector } from "../../../support/builders.js";

async function read(csv: string | Buffer, source = "a.csv"): Promise<ServerAccount[]> {
  const accounts: ServerAccount[] = [];
  for await (const account of readAllUsersCsv(Readable.from([csv]), { hostname: "ghes-a", source, protector }))
    accounts.push(account);
  return accounts;
}

const HEADER =
  "created_at,id,login,email,role,suspended?,last_logged_ip,repos,ssh_keys,org_memberships,dormant?,last_active,raw_login,2fa_enabled?";

describe("all_users.csv reader", () => {
  it("reads GitHub's column layout", async () => {
    const [a] = await read(
      `${HEADER}\n2024-01-01,5,mona,Mona@Corp.Example,admin,false,10.0.0.1,3,1,2,true,2026-01-01,mona,true\n`,
    );
    expect(a).toMatchObject({
      hostname: "ghes-a",
      id: 5,
      suspended: false,
      dormant: true,
      siteAdmin: true,
      licensable: true,
    });
    expect(a!.primaryEmail).toMatchObject({
      masked: "m***@corp.example",
      domain: "corp.example",
      key: protector.key("mona@corp.example"),
    });
  });
  it("accepts any column order, unknown columns, a BOM, CRLF and quoted fields", async () => {
    const csv = `\uFEFFcost center,Suspended?,EMAIL,login,id\r\n"R&D, Platform",no," Mona@Corp.Example ","mo""na",5\r\nx,YES,b@corp.example,b,6\r\n`;
    const accounts = await read(csv);
    expect(accounts.map((a) => [a.id, a.suspended, a.primaryEmail?.masked])).toEqual([
      [5, false, "m***@corp.example"],
      [6, true, "b***@corp.example"],
    ]);
  });
  it.each([
    ["true", true],
    ["FALSE", false],
    ["yes", true],
    ["No", false],
    ["1", true],
    ["0", false],
    ["", false],
  ])("reads %p as %p", async (text, value) => {
    const [a] = await read(`id,login,email,suspended?\n1,x,x@y.z,${text}\n`);
    expect(a!.suspended).toBe(value);
  });
  it("never keeps the clear email in a record", async () => {
    const accounts = await read(`id,login,email,suspended?\n1,x,secret.person@corp.example,false\n`);
    expect(JSON.stringify(accounts)).not.toContain("secret.person");
  });
  it.each([
    ["a missing column", "id,login,suspended?\n1,x,false\n", /a\.csv, line 1: missing column email/],
    [
      "a bad boolean",
      "id,login,email,suspended?\n1,x,x@y.z,maybe\n",
      /a\.csv, line 2, column suspended: expected a boolean/,
    ],
    [
      "a non-numeric id",
      "id,login,email,suspended?\n1,x,x@y.z,false\nabc,y,y@y.z,false\n",
      /a\.csv, line 3, column id: expected a numeric user id/,
    ],
    [
      "a row with too many fields",
      "id,login,email,suspended?\n1,x,x@y.z,false,extra\n",
      /a\.csv, line 2: malformed CSV: the row has 5 fields, the header has 4/,
    ],
    [
      "a duplicated header column",
      "id,login,Email,email,suspended?\n1,x,x@y.z,x@y.z,false\n",
      /a\.csv, line 1, column 4: the header names column "email" twice \(columns 3 and 4\)\. Keep one/,
    ],
    [
      "all_organizations.csv",
      "id,created_at,login,email,admins,members,teams,repos,2fa_required?\n",
      /line 1: this is the all_organizations report.*all_users\.csv/,
    ],
    [
      "an unclosed quote",
      'id,login,email,suspended?\n1,"x,x@y.z,false\n',
      /a\.csv, line \d+, column login: malformed CSV: a quoted field is never closed/,
    ],
    [
      "a duplicate id",
      "id,login,email,suspended?\n1,x,x@y.z,false\n1,y,y@y.z,false\n",
      /line 3: user id 1 appears twice/,
    ],
    ["an empty file", "", /a\.csv: the report is empty/],
    [
      "a field beyond 64 KiB",
      `id,login,email,suspended?\n1,x,"${"a".repeat(70_000)}",false\n`,
      /a\.csv, line 2, column email: the row, or a field of it, is longer than 64 KiB/,
    ],
  ])("rejects %s with the file and line", async (_name, csv, message) => {
    await expect(read(csv)).rejects.toMatchObject({
      name: "InputError",
      exitCode: 2,
      message: expect.stringMatching(message),
    });
  });

  describe("line endings as spreadsheets save them", () => {
    const rows = (count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          `2024-01-01,${i + 1},user${i + 1},user${i + 1}@corp.example,user,false,10.0.0.1,1,1,1,false,2026-01-01,user${i + 1},true`,
      );
    it.each([
      ["CR only (classic Mac Excel), longer than the line bound in all", (r: string[]) => `${r.join("\r")}\r`],
      [
        "CRLF, then LF (rows appended by another tool)",
        (r: string[]) => `${r.slice(0, 10).join("\r\n")}\r\n${r.slice(10).join("\n")}\n`,
      ],
      ["LF, then CRLF", (r: string[]) => `${r.slice(0, 10).join("\n")}\n${r.slice(10).join("\r\n")}\r\n`],
      ["CR, then LF", (r: string[]) => `${r.slice(0, 10).join("\r")}\r${r.slice(10).join("\n")}`],
    ])("%s: every row read", async (_name, join) => {
      const csv = join([HEADER, ...rows(12_000)]);
      expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
      const accounts = await read(csv);
      expect(accounts).toHaveLength(12_000);
      expect(accounts.at(-1)).toMatchObject({ id: 12_000, suspended: false, dormant: false });
    });
    it("names the right line of a bad row in a CR-only file", async () => {
      await expect(read(`id,login,email,suspended?\r1,x,x@y.z,false\r2,y,y@y.z,maybe\r`)).rejects.toThrow(
        /a\.csv, line 3, column suspended: expected a boolean/,
      );
    });
    it("bounds a CR-only line like any other", async () => {
      await expect(read(`id,login,email,suspended?\r${",".repeat(1024 * 1024 + 1)}\r`)).rejects.toThrow(
        /a\.csv, line 2: the line is longer than 1048576 bytes/,
      );
    });
  });

  it("refuses a directory given as the report (exit 2, naming it)", async () => {
    const { createReadStream } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const consume = async () => {
      for await (const _ of readAllUsersCsv(createReadStream(tmpdir()), {
        hostname: "ghes-a",
        source: "reports/",
        protector,
      }))
        void _;
    };
    await expect(consume()).rejects.toMatchObject({
      name: "InputError",
      exitCode: 2,
      message: expect.stringMatching(
        /^reports\/: is a directory, not a file\. Give --server HOST=FILE the path of all_users\.csv/,
      ),
    });
  });

  it("reads a header without rows as an instance without accounts", async () => {
    expect(await read(`${HEADER}\n`)).toEqual([]);
  });

  it.each(["organization", "Organization", "ORGANIZATION", "org"])(
    "never counts an account whose role is %p as a person",
    async (role) => {
      const [org, person] = await read(
        `${HEADER}\n2024-01-01,7,acme-org,,${role},false,,0,0,0,false,,acme-org,false\n2024-01-01,8,mona,mona@corp.example,Site admin,false,,0,0,0,false,,mona,true\n`,
      );
      expect(org).toMatchObject({ id: 7, licensable: false });
      expect(person).toMatchObject({ id: 8, licensable: true, siteAdmin: true });
    },
  );

  describe("bounded: a runaway value is refused before it is held", () => {
    /** Endless input: a reader that buffered the value would never return. */
    function* endless(prefix: string, filler: string): Generator<Buffer> {
      yield Buffer.from(prefix);
      const chunk = Buffer.from(filler.repeat(16_384));
      for (;;) yield chunk;
    }
    it("stops inside a field that never ends, naming line and column", async () => {
      const input = Readable.from(endless("id,login,email,suspended?\n1,x,", "a"));
      await expect(read2(input)).rejects.toThrow(
        /a\.csv, line 2, column email: the row, or a field of it, is longer than 64 KiB/,
      );
    });
    it("stops on a line of nothing but delimiters", async () => {
      const input = Readable.from(endless("id,login,email,suspended?\n", ","));
      await expect(read2(input)).rejects.toThrow(/a\.csv, line 2: the line is longer than 1048576 bytes/);
    });
    async function read2(input: Readable): Promise<number> {
      let count = 0;
      for await (const _ of readAllUsersCsv(input, { hostname: "ghes-a", source: "a.csv", protector })) count++;
      return count;
    }
  });

  describe("never quotes a field value in an error (issue 9, row 1)", () => {
    const EMAIL = "leaky.person@corp.example";
    it.each([
      ["a stray quote after the email", `1,mona,${EMAIL}"x,user,false`, /line 2, column email: malformed CSV: a quote/],
      [
        "an unclosed quote",
        `1,mona,"${EMAIL},user,false`,
        /line 2, column email: malformed CSV: a quoted field is never closed/,
      ],
      [
        "text after a closing quote",
        `1,mona,"${EMAIL}"x,user,false`,
        /line 2, column email: malformed CSV: text after the closing quote/,
      ],
      [
        "an extra field",
        `1,mona,${EMAIL},user,false,${EMAIL}`,
        /line 2: malformed CSV: the row has 6 fields, the header has 5/,
      ],
      [
        "the email in a boolean column",
        `1,mona,${EMAIL},user,${EMAIL}`,
        /line 2, column suspended: expected a boolean/,
      ],
      [
        "the email in the id column",
        `${EMAIL},mona,${EMAIL},user,false`,
        /line 2, column id: expected a numeric user id/,
      ],
    ])("%s", async (_name, row, where) => {
      const error = await read(`id,login,email,role,suspended?\n${row}\n`).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toMatchObject({ name: "InputError", exitCode: 2 });
      expect(error!.message).toMatch(where);
      expect(error!.message).toMatch(/Quote|download|Fix/);
      for (const part of ["leaky", "person", "corp.example", "@"]) expect(error!.message).not.toContain(part);
    });
    it("a data row where the header should be", async () => {
      const error = await read(`1,mona,${EMAIL},user,false\n`).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error!.message).toMatch(
        /line 1: missing columns id, login, email, suspended\. The first line must be the report's header/,
      );
      expect(error!.message).not.toContain("leaky");
    });
    it.each([
      [
        "the same value twice in a data row read as header",
        `1,mona,${EMAIL},${EMAIL},user,false\n`,
        /line 1, column 4: the header names column 3 again \(columns 3 and 4\)/,
      ],
      [
        "a bad row after a data row read as header",
        `1,mona,${EMAIL},user,false\n2,x,"y"z,user,false\n`,
        /line 2, field 3: malformed CSV: text after the closing quote/,
      ],
      [
        "a header column that is not GitHub's, repeated",
        `id,login,email,suspended?,${EMAIL},${EMAIL}\n`,
        /line 1, column 6: the header names column 5 again/,
      ],
    ])("%s names the column by position", async (_name, csv, where) => {
      const error = await read(csv).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toMatchObject({ name: "InputError", exitCode: 2 });
      expect(error!.message).toMatch(where);
      for (const part of ["leaky", "person", "corp.example", "@", "mona"]) expect(error!.message).not.toContain(part);
    });
  });
});
