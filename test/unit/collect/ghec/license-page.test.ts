import { LicenseAssembler, usageOfPages, type LicensePage } from "../../../../src/collect/ghec/license-page.js";
import type { CloudLicense } from "../../../../src/shared/report.js";

const license = (login: string | null): CloudLicense => ({
  index: -1,
  login,
  serverUserIds: [],
  githubComUser: login !== null,
  enterpriseServerUser: login === null,
  visualStudioUser: false,
  samlNameId: null,
  verifiedDomainEmails: [],
  serverEmails: [],
  visualStudioEmail: null,
  handleKeys: [],
});

/** Page `page` of a list that moved while it was read: row keys repeat across pages, some rows have none. */
function page(number: number, logins: Array<string | null>, total = 9): LicensePage {
  return {
    page: number,
    totalConsumed: total,
    totalPurchased: number === 2 ? 20 : null,
    size: logins.length,
    rows: logins.map((login) => ({
      key: login === null ? null : `login:${login}`,
      license: license(login),
      verifiedDomains: login === null ? [] : [`${login}.example`],
    })),
  };
}

/** Fresh pages each call: assembling renumbers `index` in place. */
const pages = (): LicensePage[] => [
  page(1, ["a", "b", null]),
  page(2, ["c", "b", "d"]),
  page(3, [null, "e", "a"], 10),
  page(4, ["f"], 10),
];

describe("LicenseAssembler", () => {
  it("hands licenses on in page order whatever order the pages come in, the same list usageOfPages gives", () => {
    const expected = usageOfPages(pages());
    for (const order of [
      [3, 1, 4, 2],
      [4, 3, 2, 1],
      [1, 2, 3, 4],
    ]) {
      const handed: CloudLicense[] = [];
      const assembler = new LicenseAssembler((l) => handed.push(l));
      const all = pages();
      for (const number of order) assembler.add(all[number - 1]!);
      const { usage, duplicates } = assembler.finish();
      expect(handed).toEqual(expected.usage.licenses);
      expect(usage).toEqual({ ...expected.usage, licenses: [] });
      expect(duplicates).toBe(expected.duplicates);
    }
    expect(expected.usage.licenses.map((l) => [l.index, l.login])).toEqual([
      [0, "a"],
      [1, "b"],
      [2, null],
      [3, "c"],
      [4, "d"],
      [5, null],
      [6, "e"],
      [7, "f"],
    ]);
    expect(expected.duplicates).toBe(2);
    expect(expected.usage).toMatchObject({ seatsConsumed: 10, seatsPurchased: 20, completeness: "partial" });
  });

  it("holds a page until the pages before it are in, and takes pages behind a gap at finish", () => {
    const handed: Array<string | null> = [];
    const assembler = new LicenseAssembler((l) => handed.push(l.login));
    const [first, second, third, fourth] = pages();
    assembler.add(third!);
    expect(handed).toEqual([]);
    assembler.add(first!);
    expect(handed).toEqual(["a", "b", null]);
    assembler.add(fourth!);
    expect(handed).toEqual(["a", "b", null]);
    expect(assembler.rows).toBe(3);
    assembler.finish();
    expect(handed).toEqual(["a", "b", null, null, "e", "f"]);
    expect(assembler.pages().map((p) => p.page)).toEqual([3, 1, 4]);
    expect(second!.rows[0]!.license.index).toBe(-1);
  });

  it("keeps the licenses and returns them when nothing takes them", () => {
    const assembler = new LicenseAssembler();
    for (const p of pages()) assembler.add(p);
    expect(assembler.finish().usage.licenses.map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
