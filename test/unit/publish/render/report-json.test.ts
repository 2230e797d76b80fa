import { renderJson, toReportJson } from "../../../../src/publish/render/report-json.js";
import { reconcile } from "../../../../src/reconcile/reconcile.js";
import { account, cloud, ghecUser } from "../../../support/builders.js";

describe("Report JSON rendering", () => {
  it.each([0, 1, 3000])("chunked output equals JSON.stringify with %i people", (n) => {
    const accounts = Array.from({ length: n }, (_, i) => account("h", i + 1, `u${i}`, `u${i}@corp.example`));
    const report = reconcile({
      collectedHosts: ["h"],
      serverAccounts: accounts,
      cloud: cloud([ghecUser("c")], { purchased: 10 }),
    });
    expect(renderJson(report)).toBe(`${JSON.stringify(toReportJson(report), null, 2)}\n`);
    expect(JSON.parse(renderJson(report)).people).toHaveLength(n);
  });
});
