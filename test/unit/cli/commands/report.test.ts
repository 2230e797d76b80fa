import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { DEFAULT_REPORT_HEAP_MB, reportCommand, reportHeapBudget } from "../../../../src/cli/commands/report.js";
import { InputError } from "../../../../src/shared/errors.js";

describe("reportHeapBudget", () => {
  it("leaves room within 1 GiB for what the old generation does not hold, unless told otherwise", () => {
    expect(reportHeapBudget({})).toBe(DEFAULT_REPORT_HEAP_MB);
    expect(reportHeapBudget({ LICENSE_SYNC_REPORT_HEAP_MB: "" })).toBe(DEFAULT_REPORT_HEAP_MB);
    expect(DEFAULT_REPORT_HEAP_MB).toBeLessThan(1024);
    expect(reportHeapBudget({ LICENSE_SYNC_REPORT_HEAP_MB: "2048" })).toBe(2048);
    expect(reportHeapBudget({ LICENSE_SYNC_REPORT_HEAP_MB: "0" })).toBe(0);
  });

  it.each(["-1", "1.5", "lots", "1e3x"])("refuses %s, naming the variable and the fix", (value) => {
    let error: unknown;
    try {
      reportHeapBudget({ LICENSE_SYNC_REPORT_HEAP_MB: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toBe("LICENSE_SYNC_REPORT_HEAP_MB");
    expect((error as InputError).fix).toMatch(/2048/);
  });
});

describe("reportCommand's retry", () => {
  /** A stand-in for report-worker.js: runs `body` in the worker (`limit` is its old-generation budget). */
  function script(body: string): URL {
    const dir = mkdtempSync(path.join(tmpdir(), "report-worker-"));
    const file = path.join(dir, "worker.mjs");
    writeFileSync(
      file,
      `import { parentPort, resourceLimits } from "node:worker_threads";
const limit = resourceLimits.maxOldGenerationSizeMb;
const exhaustHeap = () => { const held = []; for (;;) held.push(Array.from({ length: 1e4 }, (_, i) => ({ i }))); };
${body}
parentPort.postMessage({ code: 0 });
`,
    );
    return pathToFileURL(file);
  }

  async function run(body: string) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on("data", (chunk: Buffer) => out.push(chunk));
    stderr.on("data", (chunk: Buffer) => err.push(chunk));
    const io = { script: script(body), stdout, stderr, env: { LICENSE_SYNC_REPORT_HEAP_MB: "32" } };
    let failure: unknown;
    const code = await reportCommand([], io).catch((error: unknown) => ((failure = error), undefined));
    return { code, failure, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  }

  it("runs a report that needed more heap again with four times the budget, its output written once", async () => {
    const result = await run(`if (limit < 100) exhaustHeap();\nprocess.stdout.write("the whole report\\n");`);
    expect(result).toMatchObject({ code: 0, failure: undefined, stdout: "the whole report\n" });
    expect(result.stderr).toMatch(/needed more than 32 MiB of heap; running again with 128 MiB/);
  });

  it("does not run again a report that ran out of heap after part of it went to standard output", async () => {
    const result = await run(`process.stdout.write("the start of the report\\n");\nexhaustHeap();`);
    expect(result.code).toBeUndefined();
    expect(result.stdout).toBe("the start of the report\n");
    expect(result.stderr).toBe("");
    expect((result.failure as Error).message).toMatch(
      /heap budget of 32 MiB while it was being written to standard output.*LICENSE_SYNC_REPORT_HEAP_MB=128, or with --out FILE/,
    );
  });
});
