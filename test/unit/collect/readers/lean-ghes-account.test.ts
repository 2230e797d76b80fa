import { allUsersRowSchema } from "../../../../src/collect/readers/ghes-account.js";
import { leanAllUsersRow } from "../../../../src/collect/readers/lean-ghes-account.js";

// The lean check is only a shortcut: whatever it takes, zod must take too and read the same way;
// whatever zod refuses, the lean check must leave to zod (which then names the column).

const CELLS: Array<string | undefined> = [
  undefined,
  "",
  " ",
  "42",
  " 42 ",
  "0042",
  "4 2",
  "-1",
  "1.5",
  "1e3",
  "٤٢", // Arabic-Indic digits: not \d
  "9007199254740991", // Number.MAX_SAFE_INTEGER
  "9007199254740993", // one past it: a double would read it as ...992
  "1".padEnd(400, "0"), // a double would read it as Infinity
  "mona",
  " mona ",
  "ghost",
  "Mona@Corp.Example",
  " mona@corp.example ",
  "user",
  "admin",
  "Site admin",
  "site_admin",
  "Organization",
  "ORG",
  "true",
  "false",
  "yes",
  "No",
  "1",
  "0",
  "y",
  "t",
  "maybe",
  "\u0000",
  "é".repeat(200),
];

describe("leanAllUsersRow", () => {
  it("takes only what zod takes, as zod reads it, for every combination of cells", () => {
    let taken = 0;
    let refusedByZod = 0;
    const base = { id: "7", login: "mona", email: "mona@corp.example", role: "user", suspended: "no", dormant: "no" };
    const fields = Object.keys(base) as Array<keyof typeof base>;
    const rows: Array<Record<keyof typeof base, string | undefined>> = [base];
    for (const field of fields) for (const cell of CELLS) rows.push({ ...base, [field]: cell });
    for (const first of fields)
      for (const second of fields)
        if (first < second)
          for (const cell of CELLS)
            rows.push({ ...base, [first]: cell, [second]: CELLS[(cell?.length ?? 0) % CELLS.length] });
    for (const row of rows) {
      const lean = leanAllUsersRow(row.id, row.login, row.email, row.role, row.suspended, row.dormant);
      const zod = allUsersRowSchema.safeParse(row);
      if (!zod.success) refusedByZod++;
      if (lean === undefined) {
        // Left to zod only where zod may refuse: a row zod takes is taken by the lean check too.
        expect(zod.success).toBe(false);
        continue;
      }
      taken++;
      expect(zod.success).toBe(true);
      expect(lean).toEqual(zod.data);
    }
    expect(taken).toBeGreaterThan(100);
    expect(refusedByZod).toBeGreaterThan(50);
  });
});

describe("allUsersRowSchema", () => {
  it("refuses a user id a double cannot hold exactly (it would be rounded into another account's id, or Infinity), naming the column, never the value", () => {
    for (const id of ["9007199254740993", "12345678901234567890", "1".padEnd(400, "0")]) {
      const row = { id, login: "mona", email: "", role: "user", suspended: "no", dormant: "no" };
      expect(leanAllUsersRow(id, "mona", "", "user", "no", "no")).toBeUndefined();
      const zod = allUsersRowSchema.safeParse(row);
      expect(zod.success).toBe(false);
      expect(zod.error!.issues[0]!.path).toEqual(["id"]);
      expect(zod.error!.issues[0]!.message).not.toContain(id.slice(0, 8));
    }
    expect(allUsersRowSchema.parse({ id: " 9007199254740991 ", login: "mona" }).id).toBe(Number.MAX_SAFE_INTEGER);
  });
});
