import { createProgressDisplay } from "../../src/cli/progress.js";

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
});
