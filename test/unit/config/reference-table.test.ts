import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { keyedJsonSchema } from "../../../src/config/json-schema.js";
import { REFERENCE_TABLES, referenceTable, withReferenceTables } from "../../../src/config/reference-table.js";

const DOC = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");

describe("docs/configuration.md key tables", () => {
  it("are exactly what the zod schemas' .meta() generates (regenerate: npm run docs:config)", () => {
    expect(withReferenceTables(DOC)).toBe(DOC);
    for (const table of Object.values(REFERENCE_TABLES)) expect(DOC).toContain(table());
  });

  it("disagree once either side is edited by hand", () => {
    // The docs side: a reworded meaning, a removed row, a stale row of a key that is gone.
    const row = "| `history.weeks` | `12` (2-104) | Weeks in the summary's trend chart. |";
    expect(DOC).toContain(row);
    for (const edited of [
      DOC.replace(row, row.replace("trend chart", "chart")),
      DOC.replace(`${row}\n`, ""),
      DOC.replace(row, `${row}\n| \`history.days\` | \`7\` | Days. |`),
    ]) {
      expect(edited).not.toBe(DOC);
      expect(withReferenceTables(edited)).not.toBe(edited);
    }
    // The zod side: a changed description changes the table.
    const schema = (description: string) =>
      z.strictObject({ weeks: z.int().min(2).max(104).default(12).meta({ description }) });
    expect(referenceTable(keyedJsonSchema(schema("Weeks in the chart.")), { secretColumn: false })).not.toBe(
      referenceTable(keyedJsonSchema(schema("Weeks.")), { secretColumn: false }),
    );
  });

  it("refuse a document that lost a table's markers", () => {
    expect(() => withReferenceTables(DOC.replace("<!-- /config-reference:repository -->", ""))).toThrow(
      "the markers <!-- config-reference:repository",
    );
  });

  it("render one row per key: defaults, bounds, required, secret; objects as dotted paths, arrays of objects as []", () => {
    const schema = z.strictObject({
      name: z.string().meta({ description: "Required | piped." }),
      limits: z
        .strictObject({
          size: z.int().min(1).max(100).default(100).meta({ description: "Size." }),
          ratio: z.number().gt(0).max(1).default(0.9).meta({ description: "Ratio." }),
        })
        .prefault({})
        .meta({ description: "Limits." }),
      hosts: z
        .array(
          z.strictObject({
            url: z.string().meta({ description: "URL." }),
            token: z.string().optional().meta({ description: "Token.", secret: true }),
          }),
        )
        .max(10)
        .default([])
        .meta({ description: "Hosts." }),
    });
    expect(referenceTable(keyedJsonSchema(schema), { secretColumn: true }).split("\n")).toEqual([
      "| key | default | secret | meaning |",
      "|---|---|---|---|",
      "| `name` | required | | Required \\| piped. |",
      "| `limits.size` | `100` (1-100) | | Size. |",
      "| `limits.ratio` | `0.9` (more than 0, max 1) | | Ratio. |",
      "| `hosts` | `[]` (at most 10) | | Hosts. |",
      "| `hosts[].url` | required | | URL. |",
      "| `hosts[].token` | none | **yes** | Token. |",
    ]);
  });
});
