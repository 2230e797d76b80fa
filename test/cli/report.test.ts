import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { spawn } from "node:child_process";
import { ACME_ARGS, ROOT, fixture, licenseSync } from "../support/cli.js";

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
    expect(Object.keys(report.totals)).toEqual(expect.arrayContaining(["seatsPurchased", "seatsConsumedReported", "cloudUsers", "serverOnlyUsers", "uniqueUsers", "matchedBy"]));
    expect(Object.keys(report.totals.matchedBy)).toEqual(["samlIdentity", "samlNameId", "verifiedDomainEmail", "linkedServerEmail", "visualStudioEmail"]);
    expect(Object.keys(report.servers[0])).toEqual(["hostname", "accounts", "billableAccounts", "persons", "matchedToCloud", "serverOnly"]);
    expect(report.people).toHaveLength(6);
    expect(report.divergences.map((d: { kind: string }) => d.kind)).toEqual(["over-consumed", "unique-count-mismatch"]);
    expect(stdout).not.toContain("kim@acme.example");
  });
  it("writes one CSV row per unique person, with status and reason", () => {
    const out = path.join(dir, "people.csv");
    expect(licenseSync(["report", ...ACME_ARGS, "--format", "csv", "--out", out]).code).toBe(0);
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(16);
    expect(rows.filter((r) => r.status === "server-only").map((r) => r.reason).sort()).toEqual(
      ["domainNotVerified", "identityEmailDiffers", "linkedAccountEmailChanged", "noCloudAccount", "noEmail", "similarCloudAccount"]);
    expect(rows.find((r) => r.cloud_login === "monalisa")).toMatchObject({ status: "cloud+server", matched_by: "verifiedDomainEmail", email: "m***@acme.example" });
  });
  it("renders the summary issue body as markdown", () => {
    const { code, stdout } = licenseSync(["report", ...ACME_ARGS, "--format", "markdown"]);
    expect(code).toBe(0);
    expect(stdout).toContain("| **Unique users, this run** | **16** |");
    expect(stdout).toContain("### Why server-only persons did not merge");
    expect(stdout).toContain("k***@acme.example");
    expect(stdout).not.toContain("kim@acme.example");
  });
  it("shows clear emails only when asked", () => {
    expect(licenseSync(["report", ...ACME_ARGS, "--format", "json"]).stdout).not.toContain("ivan@contractor.example");
    expect(licenseSync(["report", ...ACME_ARGS, "--format", "json", "--show-emails"]).stdout).toContain("ivan@contractor.example");
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
      ["a missing file", ["--server", "h=/nonexistent/all_users.csv", "--cloud", cloud], /\/nonexistent\/all_users\.csv: file not found/],
      ["a malformed CSV row", ["--server", `h=${write("bad.csv", "id,login,email,suspended?\n1,a,a@x.io,false\n2,b,b@x.io\n")}`, "--cloud", cloud], /bad\.csv, line 3: malformed CSV/],
      ["JSON of the wrong shape", ["--cloud", write("wrong.json", '{"total_seats_consumed":2,"seats":[]}')], /wrong\.json, users: no users found/],
      ["an empty cloud file", ["--cloud", write("empty.json", "")], /empty\.json: the file is empty/],
      ["a --server host given twice", ["--server", "h=a.csv", "--server", "H=b.csv", "--cloud", cloud], /host h is given twice/],
      ["no --cloud", ["--server", "h=a.csv"], /--cloud: missing/],
      ["an unknown format", ["--cloud", cloud, "--format", "xml"], /--format xml: unknown format\. Use one of: table, json, csv, markdown/],
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
    const args = ["report", "--server", `h=${big}`, "--cloud", fixture("acme/consumed-licenses.json"), "--format", "json"];
    const child = spawn(process.execPath, [`${ROOT}bin/license-sync.js`, ...args], { cwd: ROOT });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });

  it("answers help and unknown commands", () => {
    expect(licenseSync(["help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("license-sync report --server HOST=all_users.csv") });
    expect(licenseSync(["frobnicate"])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
    expect(existsSync(path.join(dir, "nothing"))).toBe(false);
  });
});
