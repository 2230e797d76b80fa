import { parse } from "csv-parse/sync";
import { neutralizeFormula, renderCsv, renderCsvChunks } from "../../../../src/publish/render/report-csv.js";
import { person, smallReport } from "../../../support/record.js";

/** Cells a spreadsheet would run (OWASP CSV injection): a login, a hostname or a reason from data. */
const FORMULAS = [
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
];
/** What a spreadsheet would evaluate: a cell starting with one of these. */
const RUNS = /^[=+\-@\t\r]/;

test.each(FORMULAS)("a cell starting a formula gets a leading quote: %j", (formula) => {
  expect(neutralizeFormula(formula)).toBe(`'${formula}`);
});

test("ordinary cells are left as they are", () => {
  for (const value of ["monalisa", "m***@corp.example", "ghes-a.corp.example:12", "cloud+server", "", "a=b", "x-1"])
    expect(neutralizeFormula(value)).toBe(value);
});

test("renderCsv writes no cell a spreadsheet would run, and keeps the text after the quote", () => {
  const report = smallReport({
    people: FORMULAS.map((formula, i) => ({
      ...person(i + 1, "similarCloudAccount", formula),
      likelyCloudLogin: formula,
    })),
  });
  report.cloudRows = FORMULAS.map((formula, index) => ({
    index,
    login: formula,
    githubComUser: true,
    hosts: [formula],
  }));
  const rows = parse(renderCsv(report, { emails: "masked" }), {
    columns: false,
    relax_column_count: false,
  }) as string[][];
  const cells = rows.flat();
  expect(cells.filter((value) => RUNS.test(value))).toEqual([]);
  for (const formula of FORMULAS) expect(cells).toContain(`'${formula}`);
});

test("no cell carries a terminal escape sequence or a bidi override; tabs and the formula quote stay", () => {
  const hostile = ["cloud\u001b[2J\u001b]0;PWNED\u0007octo", "\u202Eevil", "\u009b31m"];
  const report = smallReport({
    people: hostile.map((login, i) => ({ ...person(i + 1, "similarCloudAccount", login), likelyCloudLogin: login })),
  });
  report.cloudRows = hostile.map((login, index) => ({ index, login, githubComUser: true, hosts: [login] }));
  const text = renderCsv(report, { emails: "masked" });
  // eslint-disable-next-line no-control-regex -- the point of the check
  expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/);
  expect(text).toContain("cloud\\x1b[2J\\x1b]0;PWNED\\x07octo");
  expect(text).toContain("\\u202eevil");
});

test("renderCsvChunks gives renderCsv's text in pieces that each end a row, for thousands of people", () => {
  const report = smallReport({
    people: Array.from({ length: 4_500 }, (_, i) => person(i + 1, i % 3 ? "noCloudAccount" : "similarCloudAccount")),
  });
  const pieces = [...renderCsvChunks(report, { emails: "masked" })];
  expect(pieces.length).toBeGreaterThan(1);
  for (const piece of pieces) expect(piece.endsWith("\n")).toBe(true);
  const text = pieces.join("");
  expect(text).toBe(renderCsv(report, { emails: "masked" }));
  const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
  expect(rows).toHaveLength(4_500);
  expect(rows[4_499]!.server_accounts).toBe("ghes-a.corp.example:5500");
});
