// The worker thread runs the compiled reader from dist/: `npm run build` first (npm test does).
import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { readAllUsersCsv } from "../../../../src/collect/readers/ghes-csv.js";
import { accountsOfLines, readAllUsersCsvInThread } from "../../../../src/collect/readers/ghes-csv-thread.js";
import type { AccountLines } from "../../../../src/collect/readers/ghes-csv-thread-protocol.js";
import { InputError } from "../../../../src/shared/errors.js";
import type { ServerAccount } from "../../../../src/shared/report.js";
import { createEmailProtector } from "../../../../src/privacy/protect.js";

const SECRET = "thread-test-secret";
const HEADER =
  "created_at,id,login,email,role,suspended?,last_logged_ip,repos,ssh_keys,org_memberships,dormant?,last_active,raw_login,2fa_enabled?";
const row = (id: number, login: string, email: string, role = "user", suspended = "false") =>
  `2024-01-01,${id},${login},${email},${role},${suspended},10.0.0.1,3,1,2,false,2026-01-01,${login},true`;

/** The report split into small chunks, so rows straddle chunk boundaries as they do over HTTP. */
function chunked(text: string, size = 37): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

async function inThread(text: string): Promise<AccountLines[]> {
  const batches: AccountLines[] = [];
  for await (const batch of readAllUsersCsvInThread(chunked(text), {
    hostname: "ghes-a",
    source: "a.csv",
    secret: SECRET,
  }))
    batches.push(batch);
  return batches;
}

async function onThisThread(text: string): Promise<ServerAccount[]> {
  const protector = createEmailProtector({ secret: SECRET });
  const accounts: ServerAccount[] = [];
  for await (const account of readAllUsersCsv(chunked(text), { hostname: "ghes-a", source: "a.csv", protector }))
    accounts.push(account);
  return accounts;
}

/** Nice value of each thread of this process, from /proc (field 19 of each task's stat). */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // The thread's name (field 2, in parentheses) may hold spaces: fields are counted after it.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("readAllUsersCsvInThread", () => {
  it("gives the same accounts as readAllUsersCsv, in order, in batches of at most 1000 with counts", async () => {
    const rows = Array.from({ length: 2500 }, (_, i) =>
      row(
        i + 1,
        `user${i}`,
        i % 7 === 0 ? "" : `User.${i}@Corp.Example`,
        i === 3 ? "admin" : "user",
        i % 5 === 0 ? "yes" : "no",
      ),
    );
    rows.push(row(9001, "ghost", ""));
    const text = `${HEADER}\n${rows.join("\n")}\n`;
    const batches = await inThread(text);
    const expected = await onThisThread(text);
    expect(batches.map((b) => b.count)).toEqual([1000, 1000, 501]);
    expect([...accountsOfLines(batches)]).toEqual(expected);
    const billable = expected.filter((a) => a.licensable && !a.suspended).length;
    expect(batches.reduce((sum, b) => sum + b.billable, 0)).toBe(billable);
  });

  it("reads a stream of strings as readAllUsersCsv does (a chunk is bytes or text, never dropped)", async () => {
    const text = `${HEADER}\n${row(1, "mona", "a@corp.example")}\n${row(2, "lisa", "b@corp.example")}\n`;
    const strings = () => Readable.from([text.slice(0, 150), text.slice(150)]);
    const batches: AccountLines[] = [];
    for await (const batch of readAllUsersCsvInThread(strings(), {
      hostname: "ghes-a",
      source: "a.csv",
      secret: SECRET,
    }))
      batches.push(batch);
    const protector = createEmailProtector({ secret: SECRET });
    const expected: ServerAccount[] = [];
    for await (const account of readAllUsersCsv(strings(), { hostname: "ghes-a", source: "a.csv", protector }))
      expected.push(account);
    expect(expected).toHaveLength(2);
    expect([...accountsOfLines(batches)]).toEqual(expected);
  });

  it("names the report when its stream gives something other than bytes or text", async () => {
    const read = async () => {
      for await (const _ of readAllUsersCsvInThread(Readable.from([{ email: "mona@corp.example" }]), {
        hostname: "ghes-a",
        source: "GHES ghes-a all_users.csv",
        secret: SECRET,
      }));
    };
    const error = await errorOf(read());
    expect(error.message).toBe(
      "GHES ghes-a all_users.csv: the GHES report stream gave a chunk that is neither bytes nor text",
    );
  });

  it("never sends a clear email back", async () => {
    const batches = await inThread(`${HEADER}\n${row(1, "mona", "Mona.Lisa@Corp.Example")}\n`);
    expect(batches[0]!.lines.toLowerCase()).not.toContain("mona.lisa");
    expect(batches[0]!.lines).toContain("m***@corp.example");
  });

  it("rethrows the reader's InputError with its file, line and fix, never quoting a value", async () => {
    const error = await errorOf(
      inThread(`${HEADER}\n${row(1, "mona", "a@corp.example")}\n${row(1, "dup", "b@corp.example")}\n`),
    );
    expect(error).toBeInstanceOf(InputError);
    const thisThread = await errorOf(
      onThisThread(`${HEADER}\n${row(1, "mona", "a@corp.example")}\n${row(1, "dup", "b@corp.example")}\n`),
    );
    expect(error.message).toBe(thisThread.message);
    expect(error.message).not.toContain("b@corp.example");
  });

  it("refuses an empty report as the reader does", async () => {
    const error = await errorOf(inThread(""));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("the report is empty");
  });

  it("passes the input stream's own error on unchanged", async () => {
    const failure = new Error("socket hang up");
    const input = new Readable({
      read() {
        this.push(`${HEADER}\n${row(1, "mona", "a@corp.example")}\n`);
        this.destroy(failure);
      },
    });
    const read = async () => {
      for await (const _ of readAllUsersCsvInThread(input, { hostname: "h", source: "s", secret: SECRET }));
    };
    expect(await errorOf(read())).toBe(failure);
  });

  it("stops reading the input when the consumer stops early", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row(i + 1, `u${i}`, `u${i}@corp.example`));
    const input = chunked(`${HEADER}\n${rows.join("\n")}\n`, 4096);
    for await (const batch of readAllUsersCsvInThread(input, { hostname: "h", source: "s", secret: SECRET })) {
      expect(batch.count).toBe(1000);
      break;
    }
    expect(input.destroyed).toBe(true);
  });

  (process.platform === "linux" ? it : it.skip)(
    "parses at a lower CPU priority than the calling thread, which keeps its own (Linux)",
    async () => {
      const own = getPriority();
      const rows = Array.from({ length: 3000 }, (_, i) => row(i + 1, `u${i}`, `u${i}@corp.example`));
      const input = chunked(`${HEADER}\n${rows.join("\n")}\n`, 4096);
      let during: number[] = [];
      for await (const _ of readAllUsersCsvInThread(input, { hostname: "h", source: "s", secret: SECRET }))
        during = threadNiceValues();
      expect(during).toContain(Math.min(own + 10, 19));
      expect(getPriority()).toBe(own);
    },
  );
});
