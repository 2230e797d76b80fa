import { renderJson, toReportJson } from "../../../../src/publish/render/report-json.js";
import { detectDivergences } from "../../../../src/reconcile/divergences/index.js";
import { reconcile } from "../../../../src/reconcile/reconcile.js";
import { account, cloud, ghecUser } from "../../../support/builders.js";

describe("Report JSON rendering", () => {
  it.each([0, 1, 3000])("chunked output equals JSON.stringify with %i people", (n) => {
    const accounts = Array.from({ length: n }, (_, i) => account("h", i + 1, `u${i}`, `u${i}@corp.example`));
    const engine = reconcile({
      collectedHosts: ["h"],
      serverAccounts: accounts,
      cloud: cloud([ghecUser("c")], { purchased: 10 }),
    });
    const report = { ...engine, divergences: detectDivergences({ report: engine }) };
    expect(renderJson(report)).toBe(`${JSON.stringify(toReportJson(report), null, 2)}\n`);
    expect(JSON.parse(renderJson(report)).people).toHaveLength(n);
  });

  it("writes the contract's sentences: people[].fix and divergences[].summary, keys in the contract's order", () => {
    const engine = reconcile({
      collectedHosts: ["h"],
      serverAccounts: [account("h", 1, "ivan", "ivan@contractor.example")],
      cloud: cloud([ghecUser("someone", { github_com_verified_domain_emails: ["someone@corp.example"] })], {
        purchased: 1,
      }),
    });
    const report = { ...engine, divergences: detectDivergences({ report: engine }) };
    const json = JSON.parse(renderJson(report));
    expect(Object.keys(json.people[0])).toEqual([
      "maskedEmail",
      "hosts",
      "accounts",
      "reason",
      "likelyCloudLogin",
      "fix",
      "doubleCountLikelihood",
    ]);
    expect(json.people[0].fix).toMatch(/^contractor\.example is not a verified domain of the enterprise/);
    expect(json.divergences.map((d: object) => Object.keys(d))).toEqual([
      ["kind", "severity", "summary", "figures"],
      ["kind", "severity", "summary", "figures"],
    ]);
    expect(json.divergences[0].summary).toBe(
      "2 seats consumed but only 1 purchased (1 over). GitHub reports 1; this run counts 2 unique users.",
    );
  });
});
