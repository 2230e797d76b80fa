import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkOutputDirectory, writeFileAtomic } from "../../../src/cli/atomic-write.js";

describe("--out targets (writeFileAtomic)", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "atomic-write-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces a regular file whole and leaves no temporary file", async () => {
    const target = path.join(dir, "report.json");
    await writeFile(target, "old");
    await writeFileAtomic(target, "new");
    expect(await readFile(target, "utf8")).toBe("new");
    expect(await readdir(dir)).toEqual(["report.json"]);
  });

  it("writes through a symlink: the link stays and its file gets the content", async () => {
    const real = path.join(dir, "real.json");
    const link = path.join(dir, "link.json");
    await writeFile(real, "old");
    await symlink(real, link);
    await writeFileAtomic(link, "new");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, "utf8")).toBe("new");
  });

  it("writes into a device (as /dev/stdout links to one) instead of renaming a file over it", async () => {
    // A link in the temporary directory: should the write rename over it, only the link is lost.
    const link = path.join(dir, "stdout");
    await symlink("/dev/null", link);
    await writeFileAtomic(link, "discarded");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await stat(link)).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(["stdout"]);
  });

  it("refuses an existing directory (exit 2, naming it) before any work", async () => {
    const target = path.join(dir, "out");
    await mkdir(target);
    for (const attempt of [checkOutputDirectory(target), writeFileAtomic(target, "x")]) {
      await expect(attempt).rejects.toMatchObject({
        name: "InputError",
        exitCode: 2,
        message: expect.stringMatching(/--out .*out: is a directory\. Give --out a file path/),
      });
    }
    expect(await readdir(target)).toEqual([]);
    expect(await readdir(dir)).toEqual(["out"]);
  });
});
