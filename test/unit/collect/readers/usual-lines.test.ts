import { Readable } from "node:stream";
import { readAllUsersCsvBatches } from "../../../../src/collect/readers/ghes-csv.js";
import { usualCsvFields } from "../../../../src/collect/readers/csv-usual-line.js";
import { protector } from "../../../support/builders.js";
import { seededRandom } from "../../../support/seeded-random.js";

/**
 * The all_users.csv fast path (usual-lines.ts) against csv-parse alone. A header with a quoted
 * cell is never a usual line, so csv-parse reads such a file from its first byte: the same body
 * under `"created_at",...` and `created_at,...` must give the same accounts or the same error,
 * however the bytes are cut into chunks.
 */
const HEADER =
  "created_at,id,login,email,role,suspended?,last_logged_ip,repos,ssh_keys,org_memberships,dormant?,last_active,raw_login,2fa_enabled?";
const QUOTED_HEADER = `"created_at"${HEADER.slice("created_at".length)}`;

async function read(chunks: Buffer[]): Promise<string> {
  const accounts: unknown[] = [];
  try {
    const input = Readable.from(chunks.filter((chunk) => chunk.length > 0));
    for await (const batch of readAllUsersCsvBatches(input, { hostname: "ghes-a", source: "a.csv", protector }))
      accounts.push(...batch);
    return JSON.stringify(accounts);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

function cut(bytes: Buffer, at: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const end of at) {
    chunks.push(bytes.subarray(start, end));
    start = end;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe("usualCsvFields", () => {
  it.each([
    ['"2024-01-02 03:04:05 UTC",42,mona', 3, ["2024-01-02 03:04:05 UTC", "42", "mona"]],
    ['a,"",', 3, ["a", "", ""]],
    ['"a,b",c', 2, ["a,b", "c"]],
    ["a,b", 3, undefined],
    ['a,"b""c"', 2, undefined],
    ['a,b"c', 2, undefined],
    ['a,"b"c', 2, undefined],
    ['a,"b', 2, undefined],
    ["a\rb,c", 2, undefined],
  ])("%j with %i fields gives %j", (line, expected, fields) => {
    expect(usualCsvFields(line, expected)).toEqual(fields);
  });
});

describe("all_users.csv fast path", () => {
  it("gives what csv-parse alone gives, on usual and unusual lines cut anywhere", async () => {
    const next = seededRandom(2026);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
    const row = (i: number) =>
      [
        `"2024-01-0${(i % 9) + 1} 10:00:00 UTC"`,
        String(1000 + i),
        `user${i}`,
        `user${i}@corp.example`,
        pick(["user", "site_admin"]),
        pick(["false", "true", ""]),
        "10.0.0.1",
        "3",
        "0",
        "2",
        pick(["false", "true"]),
        '"2024-02-01"',
        `user${i}`,
        "true",
      ].join(",");
    const insertions = ['"', ",", "\n", "\r", "\r\n", '""', "é", "\u1680", "\n\n", "x"];
    const mutations: ((body: string) => string)[] = [
      (body) => body,
      (body) => body.replace(/\n/g, "\r\n"),
      (body) => body.replace(/\n/g, "\r"),
      (body) => {
        const at = Math.floor(next() * body.length);
        return body.slice(0, at) + pick(insertions) + body.slice(at);
      },
      (body) => body.slice(0, Math.floor(next() * body.length)),
      (body) => body.replace(",user3,", ',"us""er3",'),
      (body) => body.replace(",1005,", ",1004,"),
      (body) => body.replace(",1006,", ",abc,"),
      (body) => `${body}\n\n`,
    ];
    let compared = 0;
    for (let n = 0; n < 400; n++) {
      let body = "\n";
      for (let i = 0, rows = Math.floor(next() * 10); i < rows; i++) body += `${row(i)}\n`;
      for (let m = 0, count = 1 + Math.floor(next() * 3); m < count; m++) body = pick(mutations)(body);
      const bom = next() < 0.2 ? "\uFEFF" : "";
      const plain = Buffer.from(`${bom}${HEADER}${body}`);
      const quoted = Buffer.from(`${bom}${QUOTED_HEADER}${body}`);
      const headerBytes = Buffer.byteLength(`${bom}${HEADER}`);
      for (let c = 0; c < 4; c++) {
        const at = Array.from({ length: Math.floor(next() * 5) }, () =>
          Math.floor(next() * (plain.length + 1 - headerBytes)),
        ).sort((a, b) => a - b);
        const fast = await read(
          cut(
            plain,
            at.map((offset) => headerBytes + offset),
          ),
        );
        const reference = await read(
          cut(
            quoted,
            at.map((offset) => headerBytes + 2 + offset),
          ),
        );
        expect([JSON.stringify(body), at, fast]).toEqual([JSON.stringify(body), at, reference]);
        compared += 1;
      }
    }
    expect(compared).toBe(1600);
  });

  it("refuses at the chunk csv-parse refuses at: a bad row before a malformed line, cut at every byte", async () => {
    const rows = (header: string) =>
      `${header}\r\n"2024-01-01",5,mona,m@corp.example,user,false,,,,,false,,mona,true\r\n` +
      `"2024-01-01",x6,hubot,h@corp.example,user,false,,,,,false,,hubot,true\r\n` +
      `"2024-01-01",7,oc"to,o@corp.example,user,false,,,,,false,,octo,true\r\n`;
    const plain = Buffer.from(rows(HEADER));
    const quoted = Buffer.from(rows(QUOTED_HEADER));
    const errors = new Set<string>();
    for (let at = 0; at <= plain.length - HEADER.length; at++) {
      const fast = await read(cut(plain, [HEADER.length + at]));
      expect([at, fast]).toEqual([at, await read(cut(quoted, [HEADER.length + 2 + at]))]);
      errors.add(fast);
    }
    // Both refusals occur, depending on the cut: the test can tell them apart.
    expect(errors.size).toBe(2);
  });
});

describe("all_users.csv fast path against csv-parse, on hostile lines", () => {
  /** Cells no real report holds, each carrying a marker (`Qx<n>`) an error message must never quote. */
  const hostileCells = (n: number): string[] => {
    const marker = `Qx${n}`;
    return [
      `"${marker}\nsecond line"`,
      `"${marker}\r\nsecond line"`,
      `"${marker}\rsecond line"`,
      `"${marker} ""doubled"" quotes"`,
      `${marker}"inside`,
      `"${marker}"after`,
      `"${marker}`,
      `${marker}é€😀`,
      `"${marker}é€😀"`,
      `${marker}\u00a0`,
      `\u1680${marker}`,
      `"${marker}" `,
      ` "${marker}"`,
      `\uFEFF${marker}`,
      `${marker},extra`,
      `"${marker},quoted comma"`,
      `${marker}${"x".repeat(16 * 1024)}`,
      `"${marker}${"y".repeat(16 * 1024 - 8)}"`,
      "",
      `"${marker}"`,
    ];
  };

  it("gives the same accounts or the same error (file, line, field; no value quoted), cut at every byte", async () => {
    const next = seededRandom(1206);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
    const usualRow = (i: number) => [
      `"2024-01-0${(i % 9) + 1} 10:00:00 UTC"`,
      String(2000 + i),
      `user${i}`,
      `user${i}@corp.example`,
      "user",
      pick(["false", "true"]),
      "10.0.0.1",
      "3",
      "0",
      "2",
      "false",
      '"2024-02-01"',
      `user${i}`,
      "true",
    ];
    const endings = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"];
    let compared = 0;
    const errors = new Set<string>();
    for (let n = 0; n < 16; n++) {
      let body = "";
      const rows = 1 + Math.floor(next() * 4);
      // One row gets a hostile cell, in place of a column the engine does not read or of one it reads.
      const hostileRow = Math.floor(next() * rows);
      for (let i = 0; i < rows; i++) {
        const cells = usualRow(n * 10 + i);
        if (i === hostileRow) cells[pick([0, 2, 6, 11, 12, 13])] = pick(hostileCells(n * 10 + i));
        body += pick(endings) + cells.join(",");
      }
      body += pick(["", "\n", "\r\n", "\r"]);
      const bom = next() < 0.3 ? "\uFEFF" : "";
      const plain = Buffer.from(`${bom}${HEADER}${body}`);
      const quoted = Buffer.from(`${bom}${QUOTED_HEADER}${body}`);
      const headerBytes = Buffer.byteLength(`${bom}${HEADER}`);
      // Short bodies are cut at every byte (one cut); long ones at a few random places (several cuts).
      const cuts: number[][] =
        plain.length - headerBytes <= 500
          ? Array.from({ length: plain.length - headerBytes + 1 }, (_, at) => [at])
          : Array.from({ length: 12 }, () =>
              Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
                Math.floor(next() * (plain.length + 1 - headerBytes)),
              ).sort((a, b) => a - b),
            );
      for (const at of cuts) {
        const fast = await read(
          cut(
            plain,
            at.map((offset) => headerBytes + offset),
          ),
        );
        const reference = await read(
          cut(
            quoted,
            at.map((offset) => headerBytes + 2 + offset),
          ),
        );
        expect([n, JSON.stringify(body).slice(0, 300), at, fast]).toEqual([
          n,
          JSON.stringify(body).slice(0, 300),
          at,
          reference,
        ]);
        if (fast.startsWith("error: ")) {
          errors.add(fast.replace(/line \d+/, "line N"));
          // Named by file and line; never quoting a value (the markers, an email).
          expect(fast).toMatch(/^error: a\.csv\b.*line \d+/);
          expect(fast).not.toMatch(/Qx\d|second line|@corp\.example/);
        }
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // The generator reaches several distinct refusals, and accepted files too: the comparison can tell them apart.
    expect(errors.size).toBeGreaterThan(3);
  }, 60_000);

  it("refuses an over-long row or line as csv-parse does, wherever the chunks end", async () => {
    const row = (login: string, id = 7) =>
      `"2024-01-01",${id},${login},o@corp.example,user,false,,,,,false,"2024-02-01",octo,true`;
    const bodies = [
      // A row longer than csv-parse's max_record_size (64 KiB of field characters), unquoted and quoted.
      `\n${row("a".repeat(70 * 1024))}\n`,
      `\n${row(`"${"b".repeat(70 * 1024)}"`)}\n`,
      // A physical line past the 1 MiB line bound made only of delimiters, which no field bound sees.
      `\n${",".repeat(1024 * 1024 + 10)}\n`,
      // Just under the fast path's own line bound, then just over it: both read the same.
      `\n${row("c".repeat(16 * 1024 - row("").length))}\n${row("d".repeat(16 * 1024 - row("").length + 1), 8)}\n`,
    ];
    const next = seededRandom(64);
    const seen = new Set<string>();
    for (const body of bodies) {
      const plain = Buffer.from(`${HEADER}${body}`);
      const quoted = Buffer.from(`${QUOTED_HEADER}${body}`);
      for (let c = 0; c < 5; c++) {
        const at = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
          Math.floor(next() * (plain.length + 1 - HEADER.length)),
        ).sort((a, b) => a - b);
        const fast = await read(
          cut(
            plain,
            at.map((offset) => HEADER.length + offset),
          ),
        );
        const reference = await read(
          cut(
            quoted,
            at.map((offset) => HEADER.length + 2 + offset),
          ),
        );
        expect([body.length, at, fast]).toEqual([body.length, at, reference]);
        expect(fast).not.toMatch(/aaaa|bbbb|,,,,|o@corp/);
        seen.add(fast.startsWith("error: ") ? fast.replace(/line \d+/, "line N") : "accepted");
      }
    }
    // The record bound, the line bound, and an accepted file were all reached.
    expect([...seen].sort()).toEqual([
      "accepted",
      expect.stringMatching(/line N, column login: the row, or a field of it, is longer than 64 KiB/),
      expect.stringMatching(/line N: the line is longer than 1048576 bytes/),
    ]);
  });
});
