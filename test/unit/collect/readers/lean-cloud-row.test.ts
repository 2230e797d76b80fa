import { readFileSync } from "node:fs";
import { consumedLicenseRowSchema } from "../../../../src/collect/readers/cloud-row.js";
import { leanConsumedLicenseRow } from "../../../../src/collect/readers/lean-cloud-row.js";
import { createDataset } from "../../../sim/dataset.js";

// The lean check is only a shortcut: whatever it takes, zod must take too and turn into the same
// fields; whatever zod refuses, the lean check must leave to zod (which then words the refusal).

/** The fields the schema defines (the rest passes through it unread). */
const FIELDS = [
  "github_com_login",
  "github_com_name",
  "enterprise_server_user_ids",
  "github_com_user",
  "enterprise_server_user",
  "visual_studio_subscription_user",
  "license_type",
  "github_com_verified_domain_emails",
  "github_com_saml_name_id",
  "enterprise_server_emails",
  "enterprise_server_primary_emails",
  "visual_studio_subscription_email",
] as const;

const pick = (row: Record<string, unknown>) => Object.fromEntries(FIELDS.map((field) => [field, row[field]]));

/** Rows of the fixtures' corpus (every JSON form) and of the simulator's generator, with its drift. */
function validRows(): Array<Record<string, unknown>> {
  const single = JSON.parse(
    readFileSync(new URL("../../../../fixtures/consumed-licenses/single-object.json", import.meta.url), "utf8"),
  ) as { users: Array<Record<string, unknown>> };
  const live = readFileSync(
    new URL("../../../../fixtures/consumed-licenses/live-values.json", import.meta.url),
    "utf8",
  );
  const liveRows = (JSON.parse(live) as { users: Array<Record<string, unknown>> }).users;
  const generated = createDataset({ seed: 7, persons: 400, hosts: ["ghes-a.example", "ghes-b.example"] });
  return [
    ...single.users,
    ...liveRows,
    ...(Array.from(generated.consumedLicenseRows()) as unknown as Array<Record<string, unknown>>),
  ];
}

/** Values a hostile or drifting file may hold in any field. */
const HOSTILE_VALUES: unknown[] = [
  undefined,
  null,
  "",
  "   ",
  " Mona@Corp.Example ",
  "ghes-a.example:12",
  " GHES-A.example :7",
  "ghes-a.example:",
  ":12",
  "ghes-a.example:1.5",
  "ghes-a.example:x",
  "ghes-a.example:9007199254740993",
  "ghes-a.example:1".padEnd(400, "0"),
  "a:b:3",
  "true",
  "False",
  "yes",
  "no",
  "1",
  "0",
  "maybe",
  "Visual Studio subscription",
  "visual_studio",
  0,
  1,
  2,
  1.5,
  -1,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  [null],
  [""],
  ["  "],
  [" a@corp.example ", "b@corp.example"],
  ["ghes-a.example:3", "ghes-b.example:4"],
  ["ghes-a.example:3", 4],
  [1, 2],
  [true],
  [[]],
  [{}],
  {},
  { length: 1, 0: "x" },
  "\u0000\u202e",
  "é".repeat(300),
];

function hostileRows(base: Array<Record<string, unknown>>): unknown[] {
  const rows: unknown[] = [null, undefined, 0, "row", [], [base[0]], {}, { github_login: "mona" }];
  for (const row of base.slice(0, 3)) {
    for (const field of FIELDS) {
      // Each value alone, and as an item of a list (the list fields check their items).
      for (const value of [
        ...HOSTILE_VALUES,
        ...HOSTILE_VALUES.map((item) => [item]),
        ...HOSTILE_VALUES.map((item) => ["ghes-a.example:1", item]),
      ]) {
        const copy: Record<string, unknown> = { ...row };
        if (value === undefined) delete copy[field];
        else copy[field] = value;
        rows.push(copy);
      }
    }
    // GHE.com spelling, alone or next to GitHub.com's: left to zod's renaming.
    rows.push({ ...row, github_login: "other" });
    const { github_com_login: _login, ...residency } = row;
    rows.push({ ...residency, github_login: "mona" });
    rows.push({ ...row, extra_field: "kept by zod, ignored by both" });
  }
  return rows;
}

describe("leanConsumedLicenseRow", () => {
  const valid = validRows();

  it("takes every row GitHub.com writes, with the schema's fields", () => {
    expect(valid.length).toBeGreaterThan(400);
    for (const row of valid) {
      const lean = leanConsumedLicenseRow(row);
      const zod = consumedLicenseRowSchema.parse(row);
      expect(lean).toBeDefined();
      expect(pick(lean!)).toEqual(pick(zod));
    }
  });

  it("takes only what zod takes, as zod reads it, on hostile rows", () => {
    let taken = 0;
    let refusedByZod = 0;
    for (const row of hostileRows(valid)) {
      const lean = leanConsumedLicenseRow(row);
      const zod = consumedLicenseRowSchema.safeParse(row);
      if (!zod.success) refusedByZod++;
      if (lean === undefined) continue;
      taken++;
      expect(zod.success).toBe(true);
      expect(pick(lean)).toEqual(pick(zod.data!));
    }
    // Both sides of the comparison are exercised: rows the lean check takes and rows zod refuses.
    expect(taken).toBeGreaterThan(300);
    expect(refusedByZod).toBeGreaterThan(300);
  });
});

describe("enterprise_server_user_ids", () => {
  it("refuses an id a double cannot hold exactly (it would be rounded into another account's id), as zod words it", () => {
    const [row] = validRows();
    for (const id of ["ghes-a.example:9007199254740993", "ghes-a.example:12345678901234567890"]) {
      const hostile = { ...row, enterprise_server_user_ids: ["ghes-a.example:1", id] };
      expect(leanConsumedLicenseRow(hostile)).toBeUndefined();
      const zod = consumedLicenseRowSchema.safeParse(hostile);
      expect(zod.success).toBe(false);
      expect(zod.error!.issues[0]!.path).toEqual(["enterprise_server_user_ids", 1]);
      expect(zod.error!.issues[0]!.message).toBe('expected "host:id" (hostname, colon, numeric user id)');
    }
    const safe = { ...row, enterprise_server_user_ids: ["GHES-A.example:9007199254740991"] };
    expect(leanConsumedLicenseRow(safe)!.enterprise_server_user_ids).toEqual([
      { hostname: "ghes-a.example", id: Number.MAX_SAFE_INTEGER },
    ]);
  });
});
