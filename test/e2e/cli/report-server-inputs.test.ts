import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ACME_ARGS, fixture, licenseSync } from "../../support/cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "license-sync-inputs-"));
// A whole list (GitHub's OpenAPI example is an excerpt: 2 of 5000 rows, refused as incomplete).
const CLOUD = fixture("acme/consumed-licenses.json");
const HOST = "ghes-x.corp.example";

/** `report --format json` totals and servers for one `--server` file. */
function totalsWith(file: string, extra: string[] = []) {
  const { code, stdout, stderr } = licenseSync([
    "report",
    "--server",
    `${HOST}=${file}`,
    "--cloud",
    CLOUD,
    ...extra,
    "--format",
    "json",
  ]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  const report = JSON.parse(stdout) as { totals: Record<string, unknown>; servers: Array<Record<string, unknown>> };
  return { totals: report.totals, servers: report.servers };
}

describe("report: GHES report variants (fixtures/ghes)", () => {
  it("never counts an organization of all_users.csv as a person: same totals as the report without them", () => {
    const source = readFileSync(fixture("ghes/all_users.organizations.csv"), "utf8");
    const peopleOnly = path.join(dir, "people-only.csv");
    writeFileSync(
      peopleOnly,
      source
        .split("\n")
        .filter((line) => !/,organization,/i.test(line))
        .join("\n"),
    );
    const withOrganizations = totalsWith(fixture("ghes/all_users.organizations.csv"));
    expect(withOrganizations.totals).toEqual(totalsWith(peopleOnly).totals);
    expect(withOrganizations.servers[0]).toMatchObject({
      hostname: HOST,
      accounts: 4,
      billableAccounts: 2,
      persons: 2,
    });
  });

  it("reads a report without rows as an instance without accounts", () => {
    const { totals, servers } = totalsWith(fixture("ghes/all_users.header-only.csv"));
    expect(servers[0]).toMatchObject({ accounts: 0, billableAccounts: 0, persons: 0 });
    expect(totals.serverOnlyUsers).toBe(0);
  });

  it.each([
    [
      "a duplicated header column",
      "ghes/all_users.duplicate-header.csv",
      /all_users\.duplicate-header\.csv, line 1, column 15: the header names column "email" twice \(columns 4 and 15\)\. Keep one/,
    ],
    [
      "a stray quote after an email (issue 9, row 1)",
      "ghes/all_users.stray-quote.csv",
      /all_users\.stray-quote\.csv, line 2, column email: malformed CSV: a quote .* Quote the whole field/,
    ],
  ])("refuses %s with exit 2, naming file, line and fix, never the value", (_name, file, message) => {
    const { code, stdout, stderr } = licenseSync(["report", "--server", `${HOST}=${fixture(file)}`, "--cloud", CLOUD]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe("");
    for (const part of ["leaky", "mona@corp.example", 'corp.example"']) expect(stderr).not.toContain(part);
  });
});

describe("report: --identities in every saved form (fixtures/identities)", () => {
  const withIdentities = (file: string) => {
    const args = [...ACME_ARGS];
    args[args.indexOf("--identities") + 1] = file;
    return licenseSync(["report", ...args, "--format", "json"]);
  };
  const clean = withIdentities(fixture("acme/external-identities.json"));
  const cleanTotals = JSON.parse(clean.stdout).totals;

  it.each([
    "enterprise.one-page.json",
    "enterprise.paginate.json",
    "enterprise.paginate.ndjson",
    "enterprise.slurp.json",
    "enterprise.edges.json",
    "organization.paginate.json",
  ])("%s gives the totals of the bare node array", (name) => {
    const { code, stdout, stderr } = withIdentities(fixture(`identities/${name}`));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout).totals).toEqual(cleanTotals);
    expect(cleanTotals.matchedBy.samlIdentity).toBe(1);
  });

  it("refuses the first page alone with exit 2, naming the page and the command that saves every page", () => {
    const { code, stdout, stderr } = withIdentities(fixture("identities/enterprise.first-page-only.json"));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /enterprise\.first-page-only\.json, page 1: says hasNextPage: true, but no page follows.*gh api graphql --paginate/,
    );
  });
});

describe("report --out", () => {
  it("into a directory that does not exist: exit 2 naming the directory, nothing written", () => {
    const missing = path.join(dir, "no-such-dir", "deeper");
    const { code, stdout, stderr } = licenseSync([
      "report",
      "--server",
      `${HOST}=${fixture("ghes/all_users.organizations.csv")}`,
      "--cloud",
      CLOUD,
      "--out",
      path.join(missing, "report.json"),
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      `--out ${path.join(missing, "report.json")}: the directory does not exist: ${missing}. Create it first (mkdir -p ${missing})`,
    );
    expect(existsSync(path.join(dir, "no-such-dir"))).toBe(false);
  });

  it("under a file instead of a directory: exit 2 naming it", () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "kept");
    const { code, stderr } = licenseSync([
      "report",
      "--server",
      `${HOST}=${fixture("ghes/all_users.organizations.csv")}`,
      "--cloud",
      CLOUD,
      "--out",
      path.join(file, "report.json"),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `--out ${path.join(file, "report.json")}: ${file} is a file, not a directory. Give --out a path`,
    );
    expect(readFileSync(file, "utf8")).toBe("kept");
  });
});
