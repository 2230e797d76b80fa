import { Readable } from "node:stream";
import { readAllUsersCsv } from "../../src/collect/readers/ghes-csv.js";
import type { ServerAccount } from "../../src/reconcile/model.js";
import { protector } from "../support/builders.js";

async function read(csv: string | Buffer, source = "a.csv"): Promise<ServerAccount[]> {
  const accounts: ServerAccount[] = [];
  for await (const account of readAllUsersCsv(Readable.from([csv]), { hostname: "ghes-a", source, protector })) accounts.push(account);
  return accounts;
}

const HEADER = "created_at,id,login,email,role,suspended?,last_logged_ip,repos,ssh_keys,org_memberships,dormant?,last_active,raw_login,2fa_enabled?";

describe("all_users.csv reader", () => {
  it("reads GitHub's column layout", async () => {
    const [a] = await read(`${HEADER}\n2024-01-01,5,mona,Mona@Corp.Example,admin,false,10.0.0.1,3,1,2,true,2026-01-01,mona,true\n`);
    expect(a).toMatchObject({ hostname: "ghes-a", id: 5, suspended: false, dormant: true, siteAdmin: true, licensable: true });
    expect(a!.primaryEmail).toMatchObject({ masked: "m***@corp.example", domain: "corp.example", key: protector.key("mona@corp.example") });
  });
  it("accepts any column order, unknown columns, a BOM, CRLF and quoted fields", async () => {
    const csv = `\uFEFFcost center,Suspended?,EMAIL,login,id\r\n"R&D, Platform",no," Mona@Corp.Example ","mo""na",5\r\nx,YES,b@corp.example,b,6\r\n`;
    const accounts = await read(csv);
    expect(accounts.map((a) => [a.id, a.suspended, a.primaryEmail?.masked])).toEqual([[5, false, "m***@corp.example"], [6, true, "b***@corp.example"]]);
  });
  it.each([["true", true], ["FALSE", false], ["yes", true], ["No", false], ["1", true], ["0", false], ["", false]])("reads %p as %p", async (text, value) => {
    const [a] = await read(`id,login,email,suspended?\n1,x,x@y.z,${text}\n`);
    expect(a!.suspended).toBe(value);
  });
  it("never keeps the clear email in a record", async () => {
    const accounts = await read(`id,login,email,suspended?\n1,x,secret.person@corp.example,false\n`);
    expect(JSON.stringify(accounts)).not.toContain("secret.person");
  });
  it.each([
    ["a missing column", "id,login,suspended?\n1,x,false\n", /a\.csv, line 1: missing column email/],
    ["a bad boolean", "id,login,email,suspended?\n1,x,x@y.z,maybe\n", /a\.csv, line 2, column suspended: expected a boolean/],
    ["a non-numeric id", "id,login,email,suspended?\n1,x,x@y.z,false\nabc,y,y@y.z,false\n", /a\.csv, line 3, column id: expected a numeric user id/],
    ["a row with too many fields", "id,login,email,suspended?\n1,x,x@y.z,false,extra\n", /a\.csv, line 2: malformed CSV/],
    ["an unclosed quote", 'id,login,email,suspended?\n1,"x,x@y.z,false\n', /a\.csv, line \d+: malformed CSV/],
    ["a duplicate id", "id,login,email,suspended?\n1,x,x@y.z,false\n1,y,y@y.z,false\n", /line 3: user id 1 appears twice/],
    ["an empty file", "", /a\.csv: the report is empty/],
  ])("rejects %s with the file and line", async (_name, csv, message) => {
    await expect(read(csv)).rejects.toMatchObject({ name: "InputError", exitCode: 2, message: expect.stringMatching(message) });
  });
});
