import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { readConsumedLicenses } from "../../../../src/collect/readers/consumed-licenses.js";
import { protector } from "../../../support/builders.js";

const billing = readFileSync(
  new URL("../../../../fixtures/consumed-licenses/billing-snake-case.csv", import.meta.url),
  "utf8",
);
const read = (chunks: Iterable<string | Buffer>, source = "license.csv") =>
  readConsumedLicenses(Readable.from(chunks), { source, protector });

describe("license CSV: line endings and bounded lines", () => {
  it.each([
    [
      "CRLF rows, then LF rows appended",
      (lines: string[]) => `${lines.slice(0, 10).join("\r\n")}\r\n${lines.slice(10).join("\n")}`,
    ],
    ["CR only (classic Mac Excel)", (lines: string[]) => lines.join("\r")],
  ])("%s: every row read", async (_name, join) => {
    const expected = await read([billing]);
    const lines = billing.replace(/\r?\n$/, "").split(/\r?\n/);
    expect(await read([join(lines)])).toEqual(expected);
  });

  it("refuses a line of nothing but delimiters before holding it", async () => {
    const header = billing.slice(0, billing.indexOf("\n") + 1);
    function* endless(): Generator<string> {
      yield header;
      const commas = ",".repeat(65_536);
      for (;;) yield commas;
    }
    await expect(read(endless())).rejects.toMatchObject({
      name: "InputError",
      exitCode: 2,
      message: expect.stringMatching(/license\.csv, line 2: the line is longer than 1048576 bytes/),
    });
  });
});
