import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { csvColumns, UNKNOWN_COLUMN } from "./csv.js";
import { createDataset, writeDatasetFiles } from "./dataset.js";
import { ALL_USERS_COLUMNS, type ConsumedLicenseRow } from "./dataset-types.js";

const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example"];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sim-files-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeDatasetFiles", () => {
  const ds = createDataset({ seed: 21, persons: 3000, hosts: HOSTS });

  test("writes one report per host, the consumed-licenses object and the identities array", async () => {
    const files = await writeDatasetFiles(ds, dir);
    expect(Object.keys(files.servers)).toEqual(HOSTS);
    const cloud = JSON.parse(await readFile(files.cloud, "utf8")) as {
      total_seats_consumed: number;
      total_seats_purchased: number;
      users: ConsumedLicenseRow[];
    };
    expect(cloud.total_seats_consumed).toBe(ds.consumedLicenseCount);
    expect(cloud.total_seats_purchased).toBe(ds.options.seatsPurchased);
    expect(cloud.users).toEqual([...ds.consumedLicenseRows()]);
    const identities = JSON.parse(await readFile(files.identities, "utf8")) as unknown[];
    expect(identities).toEqual([...ds.externalIdentities()]);
  });

  test("reports have a BOM, CRLF, a host-specific column order with one unknown column, and quoted fields", async () => {
    const files = await writeDatasetFiles(ds, dir);
    const text = await readFile(files.servers[HOSTS[0] ?? ""] ?? "", "utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split("\r\n").length).toBeGreaterThan(10);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/\n/);
    const header = text.slice(1, text.indexOf("\r\n")).split(",");
    expect(header).toEqual(csvColumns(21, HOSTS[0] ?? ""));
    expect([...header].sort()).toEqual([...ALL_USERS_COLUMNS, UNKNOWN_COLUMN].sort());
    expect(header.slice(0, ALL_USERS_COLUMNS.length)).not.toEqual([...ALL_USERS_COLUMNS]);
    expect(csvColumns(21, HOSTS[1] ?? "")).not.toEqual(header);
    expect(text).toMatch(/"CN=[^"]+,OU=People,DC=corp,DC=example"/);
    expect(text).toMatch(/"\s+[^"]*@[^"]*"|"[^"]*@[^"]*\s+"/);
  });

  test("parsing the report by header gives back exactly the generated rows", async () => {
    const files = await writeDatasetFiles(ds, dir);
    for (const host of HOSTS) {
      const parsed = parse(await readFile(files.servers[host] ?? ""), { bom: true, columns: true }) as Array<
        Record<string, string>
      >;
      const rows = [...ds.ghesAccounts(host)];
      expect(parsed).toHaveLength(rows.length);
      expect(parsed.map(({ [UNKNOWN_COLUMN]: _dn, ...rest }) => rest)).toEqual(rows);
    }
  });

  // How fast belongs in `npm run bench`, not here: a timed assert fails on a loaded machine.
  test("streams a large dataset without holding it in memory", async () => {
    const big = createDataset({ seed: 3, persons: 60_000, hosts: [...HOSTS, "ghes-c.corp.example"] });
    const before = process.memoryUsage().rss;
    const files = await writeDatasetFiles(big, join(dir, "big"));
    const size = (await stat(files.cloud)).size;
    // 52,800 rows are ~35 MB of JSON; writing must not have built that as one string.
    expect(size).toBeGreaterThan(20_000_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(size * 2);
  });
});
