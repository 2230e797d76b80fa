import { seatSources } from "../../../../src/publish/render/seat-sources.js";
import { smallReport } from "../../../support/record.js";

test("with per-person lists: merged or GitHub-linked cloud accounts are both, unsynced server rows server only", () => {
  const report = smallReport({ cloudUsers: 4 });
  report.cloudRows = [
    { index: 1, login: "a", githubComUser: true, hosts: [] }, // merged in this run (matched fixture cloudIndex 1)
    { index: 5, login: "b", githubComUser: true, hosts: ["ghes-old"] }, // linked by GitHub's last sync
    { index: 6, login: null, githubComUser: false, hosts: ["ghes-old"] }, // unsynced server-only row
    { index: 7, login: "c", githubComUser: true, hosts: [] },
  ];
  const sources = seatSources(report);
  expect(sources).toEqual({ cloudOnly: 1, serverOnly: 6 + 1, both: 2 });
  expect(sources.cloudOnly + sources.serverOnly + sources.both).toBe(report.totals.uniqueUsers);
});

test("without them (the app's runs): estimated from merge counts, still adding up to unique users", () => {
  const report = smallReport({ cloudUsers: 90 });
  const sources = seatSources(report);
  expect(sources).toEqual({ cloudOnly: 54, serverOnly: 6, both: 36 });
  expect(sources.cloudOnly + sources.serverOnly + sources.both).toBe(report.totals.uniqueUsers);
});
