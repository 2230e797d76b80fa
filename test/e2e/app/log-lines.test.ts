import { hostname } from "node:os";
import { duplicateKeys } from "../../support/json-keys.js";
import { licenseSyncAsync } from "../../support/cli.js";
import { startSimEnterprise } from "../../support/sim-enterprise.js";
import { HOSTS, OWNER, startHarness, waitFor } from "./harness.js";

/** Every line is JSON without a repeated key; the machine's name is the only `hostname`. */
function checkLines(lines: string[]): Array<Record<string, unknown>> {
  const problems = lines.flatMap((line) => duplicateKeys(line).map((key) => `${key} twice in ${line.slice(0, 300)}`));
  expect(problems).toEqual([]);
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(parsed.filter((line) => line.hostname !== undefined && line.hostname !== hostname())).toEqual([]);
  return parsed;
}

test("every line the web process and the workers log during a run is JSON with unique keys; GHES hosts are under ghesHost", async () => {
  const lines: string[] = [];
  const h = await startHarness("log-lines", { workers: 2, logTo: { write: (line: string) => void lines.push(line) } });
  try {
    await h.comment("/license-sync now");
    const run = await waitFor("the run to finish", async () => {
      const [latest] = await h.web.queue.recentRuns(OWNER, 1);
      return latest?.state === "completed" || latest?.state === "failed" ? latest : undefined;
    });
    expect(run.state).toBe("completed");
  } finally {
    await h.close();
  }
  const parsed = checkLines(lines);
  expect(new Set(parsed.map((line) => line.process))).toEqual(new Set(["web", "worker"]));
  expect(new Set(parsed.map((line) => line.ghesHost).filter(Boolean))).toEqual(new Set(HOSTS));
  // Probot's own lines name their component; ours say license-sync.
  expect(parsed.filter((line) => line.msg === "worker process started").map((line) => line.name)).toEqual([
    "license-sync",
    "license-sync",
  ]);
});

test("every line `license-sync sync` logs is JSON with unique keys; GHES hosts are under ghesHost", async () => {
  const e = await startSimEnterprise();
  try {
    const { code, stderr } = await licenseSyncAsync(
      ["sync", "--config", e.configPath, "--dry-run", "--format", "json"],
      { ...e.env, LOG_LEVEL: "trace" },
    );
    expect(code).toBe(0);
    const lines = stderr.split("\n").filter((line) => line.startsWith("{"));
    expect(lines.length).toBeGreaterThan(10);
    const parsed = checkLines(lines);
    expect(parsed.some((line) => typeof line.ghesHost === "string")).toBe(true);
  } finally {
    await e.sim.close();
  }
});
