import { isoWeek } from "../../../../src/publish/iso-week.js";
import { marker, parseMarker, parseState, stateComment } from "../../../../src/publish/issues/markers.js";
import { maskEmails, removeEmails } from "../../../../src/privacy/email-guard.js";
import { parseSnapshotName, snapshotPath } from "../../../../src/publish/history/paths.js";

describe("markers", () => {
  test("round-trip, with values that could break the comment encoded", () => {
    const text = marker("divergence", { kind: "stale-sync", subject: "ghes a-->x", enterprise: "acme" });
    expect(text).toBe("<!-- license-sync:divergence kind=stale-sync subject=ghes%20a--%3Ex enterprise=acme -->");
    expect(parseMarker(`intro\n${text}\nrest`)).toEqual({
      type: "divergence",
      fields: { kind: "stale-sync", subject: "ghes a-->x", enterprise: "acme" },
    });
    expect(marker("summary", { week: "2026-W48", enterprise: "acme", subject: undefined })).toBe(
      "<!-- license-sync:summary week=2026-W48 enterprise=acme -->",
    );
  });
  test("bodies without a marker, or with someone else's, give null", () => {
    expect(parseMarker(null)).toBeNull();
    expect(parseMarker("<!-- other:divergence kind=x -->")).toBeNull();
  });
  test("state survives any value and ignores a hand-edited body", () => {
    const state = { figures: { error: "a --> b" } };
    expect(parseState(`x\n${stateComment(state)}`)).toEqual(state);
    expect(parseState("<!-- license-sync:state not-base64-json -->")).toBeNull();
  });
});

test.each([
  ["2026-11-24T06:00:00Z", "2026-W48"],
  ["2026-11-30T00:00:00Z", "2026-W49"],
  ["2026-11-29T23:59:59Z", "2026-W48"],
  ["2024-12-30T12:00:00Z", "2025-W01"],
  ["2027-01-01T12:00:00Z", "2026-W53"],
  ["2021-01-03T12:00:00Z", "2020-W53"],
  ["2020-12-31T12:00:00Z", "2020-W53"],
  ["2021-01-04T00:00:00Z", "2021-W01"],
  ["2024-12-30T00:00:00Z", "2025-W01"],
  ["2024-12-29T23:59:59Z", "2024-W52"],
])("isoWeek(%s) is %s", (at, week) => {
  expect(isoWeek(new Date(at)).label).toBe(week);
});

test("an ISO week carries its year, number and Monday 00:00 UTC, whatever the process's time zone", () => {
  expect(isoWeek(new Date("2021-01-03T23:30:00Z"))).toEqual({
    year: 2020,
    week: 53,
    label: "2020-W53",
    start: new Date("2020-12-28T00:00:00Z"),
  });
  expect(isoWeek(new Date("2024-12-31T08:00:00Z"))).toEqual({
    year: 2025,
    week: 1,
    label: "2025-W01",
    start: new Date("2024-12-30T00:00:00Z"),
  });
});

test("snapshot names carry the time and week of their run", () => {
  const path = snapshotPath(new Date("2027-01-01T12:30:05.123Z"), "run 7/a");
  expect(path).toBe("license-usage/history/2027/2027-01-01T123005Z-run-7-a.json");
  expect(parseSnapshotName(path.split("/").at(-1)!)).toEqual({
    at: new Date("2027-01-01T12:30:05Z"),
    week: "2026-W53",
    runId: "run-7-a",
  });
  expect(parseSnapshotName("2027-01-01T123005Z-run-people.csv")).toBeNull();
});

test("the email guard masks clear addresses, leaves masked ones and docs links alone", () => {
  const text =
    "Mona.Lisa@Corp.Example and m***@corp.example see https://docs.github.com/en/enterprise-cloud@latest/billing";
  expect(maskEmails(text)).toBe(
    "m***@corp.example and m***@corp.example see https://docs.github.com/en/enterprise-cloud@latest/billing",
  );
  expect(removeEmails(text)).toBe(
    "[email removed] and [email removed] see https://docs.github.com/en/enterprise-cloud@latest/billing",
  );
});
