import { handleToken } from "../../../src/shared/email.js";
import { seededRandom } from "../../support/seeded-random.js";

/** handleToken as it was written first: the two replacements on every handle. */
function reference(value: string | null | undefined): string | null {
  if (!value) return null;
  const [local = ""] = value.trim().toLowerCase().split("@");
  const plus = local.indexOf("+");
  const token = (plus > 0 ? local.slice(0, plus) : local).replace(/_(ghe|emu|corp)$/i, "").replace(/[^a-z0-9]/g, "");
  return token.length >= 3 ? token : null;
}

describe("handleToken", () => {
  it.each([
    ["Mona.Lisa+gh@corp.example", "monalisa"],
    ["mona_ghe", "mona"],
    ["MONA_EMU", "mona"],
    ["octocat", "octocat"],
    ["ab", null],
    ["a_b_corp", null],
    ["x9z", "x9z"],
    ["  Spaced@corp.example ", "spaced"],
    ["", null],
    [null, null],
  ])("%s gives %s", (value, token) => {
    expect(handleToken(value)).toBe(token);
  });

  it("gives what the two replacements give on plain, punctuated and non-ASCII handles", () => {
    const next = seededRandom(12);
    const alphabet = "abcxyz0189ABZ._-+@_ghe_emu_corpéßİ😀 ";
    for (let i = 0; i < 20_000; i++) {
      let value = "";
      const length = Math.floor(next() * 14);
      for (let j = 0; j < length; j++) value += alphabet[Math.floor(next() * alphabet.length)];
      if (i % 3 === 0) value += ["_ghe", "_emu", "_corp", "_GHE", ""][i % 5];
      expect(handleToken(value)).toBe(reference(value));
    }
  });
});
