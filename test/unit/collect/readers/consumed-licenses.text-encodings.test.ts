import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { readConsumedLicenses } from "../../../../src/collect/readers/consumed-licenses.js";
import { protector } from "../../../support/builders.js";

// Windows PowerShell 5 writes `gh api ... > file.json` as UTF-16LE with a byte order mark, and
// Excel's "Unicode" saves are UTF-16 too: the same list must read the same, whatever the cut.
const corpus = (name: string) =>
  readFileSync(new URL(`../../../../fixtures/consumed-licenses/${name}`, import.meta.url));

function utf16(text: string, order: "le" | "be"): Buffer {
  const bytes = Buffer.from(`\uFEFF${text}`, "utf16le");
  return order === "le" ? bytes : bytes.swap16();
}
/** Cut into chunks of 1, 2, 3, ... bytes (a BOM or a code unit cut anywhere), then the rest. */
function cut(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (let size = 1; start < bytes.length && size < 64; size++) chunks.push(bytes.subarray(start, (start += size)));
  if (start < bytes.length) chunks.push(bytes.subarray(start));
  return chunks;
}
const read = (chunks: Buffer[], source: string) => readConsumedLicenses(Readable.from(chunks), { source, protector });

describe("--cloud input in UTF-16 (byte order mark)", () => {
  it.each([
    ["single-object.json", "le"],
    ["single-object.json", "be"],
    ["non-ascii-across-chunk.json", "le"],
    ["billing-humanized.csv", "le"],
    ["billing-snake-case.csv", "be"],
  ] as const)("%s in UTF-16%s reads as its UTF-8 original", async (name, order) => {
    const original = corpus(name);
    const expected = await read([original], name);
    const decoded = await read(cut(utf16(original.toString("utf8"), order)), name);
    expect(decoded).toEqual(expected);
    expect(decoded.licenses.length).toBeGreaterThan(90);
  });
});
