import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { spawn } from "node:child_process";
import { ACME_ARGS, ROOT, fixture, licenseSync } from "../../support/cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "license-sync-cli-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

describe("license-sync report (built command)", () => {
  it("prints an aligned table by default", () => {
    const { code, stdout } = licenseSync(["report", ...ACME_ARGS]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Unique users \(this run\)\s+16\n/);
    expect(stdout).toMatch(/ghes-a\.acme\.example\s+12\s+9\s+9\s+5\s+4/);
    expect(stdout).not.toContain("kim@acme.example");
  });
  it("follows the Report JSON contract", () => {
    const { code, stdout } = licenseSync(["report", ...ACME_ARGS, "--format", "json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report.totals)).toEqual(
      expect.arrayContaining([
        "seatsPurchased",
        "seatsConsumedReported",
        "cloudUsers",
        "serverOnlyUsers",
        "uniqueUsers",
        "matchedBy",
      ]),
    );
    expect(Object.keys(report.totals.matchedBy)).toEqual([
      "samlIdentity",
      "samlNameId",
      "verifiedDomainEmail",
      "linkedServerEmail",
      "visualStudioEmail",
    ]);
    expect(Object.keys(report.servers[0])).toEqual([
      "hostname",
      "accounts",
      "billableAccounts",
      "persons",
      "matchedToCloud",
      "serverOnly",
    ]);
    expect(report.people).toHaveLength(6);
    expect(report.divergences.map((d: { kind: string }) => d.kind)).toEqual(["over-consumed", "unique-count-mismatch"]);
    expect(stdout).not.toContain("kim@acme.example");
  });
  it("writes one CSV row per unique person, with status and reason", () => {
    const out = path.join(dir, "people.csv");
    expect(licenseSync(["report", ...ACME_ARGS, "--format", "csv", "--out", out]).code).toBe(0);
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(16);
    expect(
      rows
        .filter((r) => r.status === "server-only")
        .map((r) => r.reason)
        .sort(),
    ).toEqual([
      "domainNotVerified",
      "identityEmailDiffers",
      "linkedAccountEmailChanged",
      "noCloudAccount",
      "noEmail",
      "similarCloudAccount",
    ]);
    expect(rows.find((r) => r.cloud_login === "monalisa")).toMatchObject({
      status: "cloud+server",
      matched_by: "verifiedDomainEmail",
      email: "m***@acme.example",
    });
  });
  it("renders the summary issue body as markdown", () => {
    const { code, stdout } = licenseSync(["report", ...ACME_ARGS, "--format", "markdown"]);
    expect(code).toBe(0);
    expect(stdout).toContain("| **Unique users, this run** | **16** |");
    expect(stdout).toContain("### Why server-only persons did not merge");
    expect(stdout).toContain("k\\*\\*\\*@\u200Dacme.example"); // masked, as inert Markdown
    expect(stdout).not.toContain("kim@acme.example");
  });
  it("shows clear emails only when asked", () => {
    expect(licenseSync(["report", ...ACME_ARGS, "--format", "json"]).stdout).not.toContain("ivan@contractor.example");
    expect(licenseSync(["report", ...ACME_ARGS, "--format", "json", "--show-emails"]).stdout).toContain(
      "ivan@contractor.example",
    );
  });

  describe("bad input: exit 2, a message naming the file and line or field, nothing written", () => {
    const out = path.join(dir, "kept.json");
    beforeEach(() => writeFileSync(out, "previous content"));
    afterEach(() => {
      expect(readFileSync(out, "utf8")).toBe("previous content");
      expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });
    const cloud = fixture("acme/consumed-licenses.json");
    it.each([
      [
        "a missing file",
        ["--server", "h=/nonexistent/all_users.csv", "--cloud", cloud],
        /\/nonexistent\/all_users\.csv: file not found/,
      ],
      [
        "a malformed CSV row",
        [
          "--server",
          `h=${write("bad.csv", "id,login,email,suspended?\n1,a,a@x.io,false\n2,b,b@x.io\n")}`,
          "--cloud",
          cloud,
        ],
        /bad\.csv, line 3: malformed CSV/,
      ],
      [
        "JSON of the wrong shape",
        ["--cloud", write("wrong.json", '{"total_seats_consumed":2,"seats":[]}')],
        /wrong\.json, line 1: a page with `total_seats_consumed` but no `users` list/,
      ],
      ["an empty cloud file", ["--cloud", write("empty.json", "")], /empty\.json: the file is empty/],
      [
        "a --server host given twice",
        ["--server", "h=a.csv", "--server", "H=b.csv", "--cloud", cloud],
        /host h is given twice/,
      ],
      ["no --cloud", ["--server", "h=a.csv"], /--cloud: missing/],
      [
        "an unknown format",
        ["--cloud", cloud, "--format", "xml"],
        /--format xml: unknown format\. Use one of: table, json, csv, markdown/,
      ],
      ["an unknown option", ["--cloud", cloud, "--bogus"], /Unknown option '--bogus'/],
    ])("%s", (_name, args, message) => {
      const { code, stderr } = licenseSync(["report", ...args, "--out", out]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    });
  });

  it("stops quietly when the reader of its output goes away (| head)", async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `${i + 1},user${i},user${i}@corp.example,false`);
    const big = write("big.csv", `id,login,email,suspended?\n${rows.join("\n")}\n`);
    const args = [
      "report",
      "--server",
      `h=${big}`,
      "--cloud",
      fixture("acme/consumed-licenses.json"),
      "--format",
      "json",
    ];
    const child = spawn(process.execPath, [`${ROOT}bin/license-sync.js`, ...args], { cwd: ROOT });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });

  it("answers help and unknown commands", () => {
    expect(licenseSync(["help"])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("license-sync report --server HOST=all_users.csv"),
    });
    expect(licenseSync(["frobnicate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(existsSync(path.join(dir, "nothing"))).toBe(false);
  });
});

describe("license-sync report --cloud, every saved form", () => {
  const corpus = (name: string) => fixture(`consumed-licenses/${name}`);
  const args = (cloud: string, ...rest: string[]) => [
    "report",
    "--server",
    `ghes-a.example=${corpus("ghes-a.all_users.csv")}`,
    "--cloud",
    corpus(cloud),
    ...rest,
  ];

  it("refuses a list with only its first page: exit 2, the rows held and the command that saves every page", () => {
    const { code, stdout, stderr } = licenseSync(args("first-page-only.json"));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      "first-page-only.json: holds 30 of 102 rows. Save every page (`gh api --paginate /enterprises/ENTERPRISE/consumed-licenses`)",
    );
    expect(stderr).toContain("--allow-incomplete");
  });
  it("with --allow-incomplete, every format says the report is partial", () => {
    const json = licenseSync(args("first-page-only.json", "--allow-incomplete", "--format", "json"));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).totals).toMatchObject({
      partial: true,
      cloudRowsRead: 30,
      seatsConsumedReported: 102,
    });
    expect(json.stderr).toContain("holds 30 of 102 rows: the report is partial");
    const table = licenseSync(args("first-page-only.json", "--allow-incomplete"));
    expect(table.stdout).toMatch(/^PARTIAL: GitHub's consumed-licenses list held 30 of 102 rows/);
    const markdown = licenseSync(args("first-page-only.json", "--allow-incomplete", "--format", "markdown"));
    expect(markdown.stdout).toContain("> [!WARNING]\n> PARTIAL: GitHub's consumed-licenses list held 30 of 102 rows");
    const csv = licenseSync(args("first-page-only.json", "--allow-incomplete", "--format", "csv"));
    expect(csv.code).toBe(0);
    expect(csv.stderr).toContain("the report is partial");
  });
  it("refuses pages that are not one snapshot (more rows than the total, or totals that disagree), and marks them partial when allowed", () => {
    const row = (login: string) => ({ github_com_login: login, github_com_user: true, license_type: "Enterprise" });
    const page = (total: number, logins: string[]) =>
      JSON.stringify({ total_seats_consumed: total, total_seats_purchased: 10, users: logins.map(row) });
    for (const file of [
      write("more-rows.json", page(2, ["a", "b", "c"])),
      write("totals-disagree.json", `${page(5, ["a", "b"])}\n${page(3, ["c"])}\n`),
    ]) {
      const refused = licenseSync(["report", "--cloud", file]);
      expect(refused).toMatchObject({ code: 2, stdout: "" });
      expect(refused.stderr).toContain("the pages are not one snapshot");
      expect(refused.stderr).toContain("Save every page again in one go");
      const table = licenseSync(["report", "--cloud", file, "--allow-incomplete"]);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(
        /^PARTIAL: GitHub's consumed-licenses pages are not one snapshot \(3 distinct rows against a total_seats_consumed of [23]/,
      );
      expect(
        JSON.parse(licenseSync(["report", "--cloud", file, "--allow-incomplete", "--format", "json"]).stdout).totals,
      ).toMatchObject({ partial: true, cloudRowsRead: 3 });
    }
  });
  it("a whole list is not marked partial", () => {
    const { code, stdout } = licenseSync(args("pages-back-to-back.json", "--format", "json"));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).totals).toMatchObject({
      partial: false,
      completenessChecked: true,
      cloudRowsRead: 102,
      uniqueUsers: 103,
    });
  });
  it("reads the billing CSV and says seats purchased are unknown and completeness unchecked", () => {
    const { code, stdout, stderr } = licenseSync(args("billing-humanized.csv"));
    expect(code).toBe(0);
    expect(stdout).toMatch(/Completeness not checked: the cloud input carries no totals/);
    expect(stdout).toMatch(/Seats purchased\s+unknown/);
    expect(stderr).toContain("carries no totals (the license CSV)");
  });
  it("names the row and the missing login key, never a value", () => {
    const file = write(
      "no-login.json",
      JSON.stringify({
        total_seats_consumed: 1,
        users: [{ github_com_name: "Secret Name", github_com_verified_domain_emails: ["secret@corp.example"] }],
      }),
    );
    const { code, stderr } = licenseSync(["report", "--cloud", file]);
    expect(code).toBe(2);
    expect(stderr).toContain("users[0].github_com_login: has neither `github_com_login` nor `github_login`");
    expect(stderr).not.toMatch(/Secret|secret@/);
  });
  it("neutralizes terminal control sequences in logins and emails printed by --format table", () => {
    // OSC (retitles the terminal), CSI (clears it), BEL, an 8-bit CSI and a right-to-left override.
    const hostile = "\u001b[2J\u001b]0;PWNED\u0007\u009b31m\u202eocto";
    const cloudFile = write(
      "hostile-cloud.json",
      JSON.stringify({
        total_seats_consumed: 1,
        total_seats_purchased: 10,
        users: [
          {
            github_com_login: hostile,
            github_com_name: "octo",
            github_com_user: true,
            enterprise_server_user: false,
            license_type: "enterprise",
            enterprise_server_user_ids: [],
          },
        ],
      }),
    );
    const serverFile = write(
      "hostile-server.csv",
      `id,login,email,suspended?\n1,octo,octo@corp.example,false\n2,x,"x\u001b]0;T\u0007@corp.example",false\n`,
    );
    const { code, stdout } = licenseSync([
      "report",
      "--server",
      `ghes-a.corp.example=${serverFile}`,
      "--cloud",
      cloudFile,
      "--show-emails",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /octo@corp\.example\s+ghes-a\.corp\.example\s+\\x1b\[2J\\x1b\]0;PWNED\\x07\\x9b31m\\u202eocto/,
    );
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
