import { describe, expect, it } from "@jest/globals";
import { errorCode, InputError, unopenedFileError } from "../../../src/shared/errors.js";

const systemError = (code: string) => Object.assign(new Error(`${code}: x`), { code });
const fix = { missing: "Check the path.", directory: "Give the path of a file." };

describe("errorCode", () => {
  it("reads a system error's code by shape, from any realm", () => {
    expect(errorCode(systemError("ENOENT"))).toBe("ENOENT");
    expect(errorCode({ code: "EACCES" })).toBe("EACCES");
  });

  it("is undefined for anything without a string code, null included", () => {
    for (const value of [null, undefined, "ENOENT", new Error("x"), { code: 404 }])
      expect(errorCode(value)).toBeUndefined();
  });
});

describe("unopenedFileError", () => {
  it("names a missing file and a directory given as a file, each with its fix", () => {
    const missing = unopenedFileError(systemError("ENOENT"), "a.csv", fix);
    expect(missing).toBeInstanceOf(InputError);
    expect(missing?.message).toBe("a.csv: file not found. Check the path.");
    expect(unopenedFileError(systemError("EISDIR"), "dir", fix)?.message).toBe(
      "dir: is a directory, not a file. Give the path of a file.",
    );
  });

  it("leaves every other error to the caller", () => {
    expect(unopenedFileError(systemError("EACCES"), "a.csv", fix)).toBeUndefined();
    expect(unopenedFileError(new Error("boom"), "a.csv", fix)).toBeUndefined();
  });
});
