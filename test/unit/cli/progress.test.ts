import { createCliLogger, humanLine } from "../../../src/cli/logger.js";
import { createProgressDisplay } from "../../../src/cli/progress.js";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream, writes };
}

describe("progress display", () => {
  it("redraws one line per source on a terminal, with pages, accounts and an ETA", () => {
    const { stream, writes } = fakeStream(true);
    const progress = createProgressDisplay(stream);
    progress.cloud({ pagesRead: 10, pages: 3000, rowsRead: 1000 });
    progress.server("ghes-a", { accountsRead: 5000 });
    progress.finish();
    expect(writes.join("")).toMatch(/GHEC consumed-licenses\s+10\/3,000 pages \(1,000 rows\)( ETA \d+[sm])?/);
    expect(writes.join("")).toMatch(/ghes-a\s+5,000 accounts/);
    expect(writes.some((w) => w.includes("\x1b[2A"))).toBe(true);
    expect(writes.at(-1)).toMatch(/done/);
  });
  it("writes plain lines, at most one per interval, when not a terminal", () => {
    const { stream, writes } = fakeStream(false);
    const progress = createProgressDisplay(stream, 60_000);
    for (let i = 1; i <= 50; i++) progress.server("ghes-a", { accountsRead: i * 100 });
    progress.finish();
    expect(writes).toHaveLength(2);
    expect(writes.every((w) => w.startsWith("progress: ") && !w.includes("\x1b"))).toBe(true);
    expect(writes[1]).toContain("5,000 accounts done");
  });
  it("never shows a total shrink or a source done before it is", () => {
    const { stream, writes } = fakeStream(false);
    const progress = createProgressDisplay(stream, 0);
    progress.cloud({ pagesRead: 1, pages: 5, rowsRead: 100 });
    progress.cloud({ pagesRead: 3, pages: 5, rowsRead: 300 });
    progress.cloud({ pagesRead: 2, pages: 4, rowsRead: 200 });
    progress.cloud({ pagesRead: 5, pages: 5, rowsRead: 500 });
    const shown = writes.map((w) => /(\d+)\/(\d+) pages/.exec(w)!.slice(1).map(Number));
    expect(shown).toEqual([
      [1, 5],
      [3, 5],
      [3, 5],
      [5, 5],
    ]);
    expect(writes.some((w) => w.includes("done"))).toBe(false);
    progress.finish();
    expect(writes.at(-1)).toContain("5/5 pages (500 rows) done");
  });
  it("prints lines above the block on a terminal and redraws the block under them", () => {
    const { stream, writes } = fakeStream(true);
    const progress = createProgressDisplay(stream);
    progress.server("ghes-a", { accountsRead: 10 });
    writes.length = 0;
    progress.print("warning: slow");
    const text = writes.join("");
    expect(text.startsWith("\x1b[1A\x1b[Jwarning: slow\n\x1b[2Kghes-a")).toBe(true);
    expect(text).toMatch(/ghes-a\s+10 accounts/);
  });
});

describe("CLI log lines", () => {
  it("turn pino JSON into one human line, without machine noise", () => {
    const line = JSON.stringify({
      level: 40,
      time: 1,
      name: "license-sync",
      msg: "cannot read the verified domains",
      enterprise: "acme",
      err: { message: "x" },
    });
    expect(humanLine(line)).toBe("warning: cannot read the verified domains (enterprise=acme)");
  });
  it("go above the progress display on a terminal, not as raw JSON", () => {
    const { stream } = fakeStream(true);
    const printed: string[] = [];
    const logger = createCliLogger({ print: (line) => printed.push(line) }, { LOG_LEVEL: "warn" }, stream);
    logger.warn({ hostname: "ghes-a" }, "report is slow");
    logger.info("not shown at warn");
    expect(printed).toEqual(["warning: report is slow (ghesHost=ghes-a)"]);
  });
});
