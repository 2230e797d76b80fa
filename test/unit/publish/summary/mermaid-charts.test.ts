import {
  mermaidText,
  seatSourcePie,
  trendChart,
  type TrendPoint,
} from "../../../../src/publish/summary/mermaid-charts.js";
import { mermaidBlocks, parseMermaid, type ParseResult } from "../../../support/mermaid-parser.js";

const points: TrendPoint[] = [
  { week: "2026-W46", uniqueUsers: 1180, consumed: 1205, purchased: 1300 },
  { week: "2026-W47", uniqueUsers: 1191, consumed: 1210, purchased: 1300 },
  { week: "2026-W48", uniqueUsers: 1203, consumed: 1198, purchased: 1350 },
];
const trend = mermaidBlocks(trendChart(points)!)[0]!;
const trendWithoutPurchased = mermaidBlocks(trendChart([points[0]!, { ...points[1]!, purchased: null }])!)[0]!;
const pie = mermaidBlocks(seatSourcePie({ cloudOnly: 800, serverOnly: 0, both: 300 })!)[0]!;
const quoted = `pie\n    ${mermaidText('a "b" c')} : 1`;
const broken: Array<[string, string]> = [
  ["an unclosed series", trend.replace(/\]$/, "")],
  ["a non-numeric value", trend.replace("1180", "many")],
  ["an unknown statement", trend.replace("xychart-beta", "xychart-beta\n    legend on")],
  ["a pie value that is not a number", pie.replace(": 800", ": eight")],
  ["a pie slice without quotes", pie.replace('"Cloud only"', "Cloud only")],
];

// One parser process for every diagram of this file.
let results: ParseResult[];
beforeAll(() => {
  results = parseMermaid([trend, trendWithoutPurchased, pie, quoted, ...broken.map(([, text]) => text)]);
});

describe("the trend chart", () => {
  test("is an xychart-beta with a line per series that Mermaid's own parser accepts", () => {
    expect(trend).toMatch(/^%%\{init: .*\}%%\nxychart-beta\n/);
    expect(trend.match(/^ {4}line \[/gm)).toHaveLength(3);
    expect(trend).toContain('x-axis ["2026-W46", "2026-W47", "2026-W48"]');
    expect(results[0]).toEqual({ ok: true, type: "xychart" });
  });
  test("needs two weeks; drops the purchased line when a week does not know it", () => {
    expect(trendChart(points.slice(0, 1))).toBeNull();
    expect(trendWithoutPurchased.match(/line \[/g)).toHaveLength(2);
    expect(results[1]).toEqual({ ok: true, type: "xychart" });
  });
  test("the legend names each line's colour", () => {
    expect(trendChart(points)).toMatch(/🟦 unique users \(this app\) · 🟥 consumed, per GitHub · 🟩 purchased$/);
  });
});

test("the seat-source pie parses and leaves out empty slices", () => {
  expect(pie).not.toContain("Server only");
  expect(results[2]).toEqual({ ok: true, type: "pie" });
  expect(seatSourcePie({ cloudOnly: 0, serverOnly: 0, both: 0 })).toBeNull();
});

test("labels cannot break out of their quotes", () => {
  expect(mermaidText('say "hi"\nnow')).toBe(`"say 'hi' now"`);
  expect(results[3]).toEqual({ ok: true, type: "pie" });
});

describe("the parser check is strict: broken variants of the charts are refused", () => {
  test.each(broken.map(([name], i) => [name, i]))("%s", (_, i) => {
    expect(results[4 + (i as number)]).toMatchObject({ ok: false });
  });
});
