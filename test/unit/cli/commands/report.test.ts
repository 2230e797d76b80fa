import { describe, expect, it } from "@jest/globals";
import { DEFAULT_REPORT_HEAP_MB, reportHeapBudget } from "../../../../src/cli/commands/report.js";
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
