import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { ACME_ARGS, fixture, licenseSync } from "../../support/cli.js";

/** Logins and hostnames a spreadsheet would run as formulas (issue: CSV injection). */
const FORMULAS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1+1"];

test("report --format csv (stdout and --out) neutralizes logins and hostnames that start a formula", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "license-sync-csv-"));
  const cloud = JSON.parse(readFileSync(fixture("acme/consumed-licenses.json"), "utf8")) as {
    users: Array<{ github_com_login: string }>;
  };
  FORMULAS.forEach((formula, i) => (cloud.users[i]!.github_com_login = formula));
  const cloudFile = path.join(dir, "consumed-licenses.json");
  writeFileSync(cloudFile, JSON.stringify(cloud));
  const args = [
    "report",
    "--format",
    "csv",
    ...ACME_ARGS.filter((arg, i, all) => all[i - 1] !== "--cloud" && arg !== "--cloud"),
    "--cloud",
    cloudFile,
  ];
  const printed = licenseSync(args);
  expect(printed.stderr).toBe("");
  expect(printed.code).toBe(0);
  const out = path.join(dir, "report.csv");
  expect(licenseSync([...args, "--out", out]).code).toBe(0);
  for (const text of [printed.stdout, readFileSync(out, "utf8")]) {
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    const logins = rows.map((row) => row.cloud_login);
    for (const formula of FORMULAS) expect(logins).toContain(`'${formula}`);
    expect(rows.flatMap((row) => Object.values(row)).filter((value) => /^[=+\-@\t\r]/.test(value))).toEqual([]);
  }
});
