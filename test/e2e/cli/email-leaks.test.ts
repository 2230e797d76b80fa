import { writeFileSync } from "node:fs";
import path from "node:path";
import { createEmailProtector } from "../../../src/privacy/protect.js";
import { ACME_ARGS, fixture, licenseSyncAsync } from "../../support/cli.js";
import {
  LEAKY_CONSUMED_LICENSES,
  LEAKY_GHES_REPORTS,
  clearEmailsIn,
  leakyRoutes,
  leakyUsageFiles,
  type LeakyServing,
} from "../../support/leaky-inputs.js";
import { HOSTS, SECRET, deploymentYaml, startSimEnterprise } from "../../support/sim-enterprise.js";

/**
 * Every bad input that carries clear emails, through the command: `report` on downloaded files,
 * `sync` on what the simulator serves and on local usage files, all at LOG_LEVEL=debug. Neither
 * standard output nor standard error may hold a clear email.
 */

type Enterprise = Awaited<ReturnType<typeof startSimEnterprise>>;
const serving: LeakyServing = {};
let e: Enterprise;
beforeAll(async () => {
  e = await startSimEnterprise({ persons: 200 }, { routes: leakyRoutes(serving, HOSTS[0]!) });
});
afterAll(() => e.sim.close());

/** Runs the command at debug level; the outputs by name, for `clearEmailsIn`. */
async function outputsOf(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Record<string, string>> {
  const { code, stdout, stderr } = await licenseSyncAsync(args, { ...env, LOG_LEVEL: "debug" });
  // Each input is bad: the command refuses it (exit 2) or fails the run (exit 1), and says so on standard error.
  expect([1, 2]).toContain(code);
  expect(stderr).not.toBe("");
  return { [`${name} stdout`]: stdout, [`${name} stderr`]: stderr };
}

const [acmeServerA, acmeCloud] = [ACME_ARGS.slice(0, 2), ["--cloud", fixture("acme/consumed-licenses.json")]];

test("report: a bad GHES report or consumed-licenses file never prints a clear email", async () => {
  const outputs: Record<string, string> = {};
  for (const [i, input] of LEAKY_GHES_REPORTS.entries()) {
    const file = path.join(e.dir, `leaky-${i}.all_users.csv`);
    writeFileSync(file, input.text);
    Object.assign(
      outputs,
      await outputsOf(`report (${input.name})`, ["report", "--server", `${HOSTS[0]}=${file}`, ...acmeCloud]),
    );
  }
  for (const [i, input] of LEAKY_CONSUMED_LICENSES.entries()) {
    const file = path.join(e.dir, `leaky-${i}.consumed-licenses.json`);
    writeFileSync(file, input.text);
    Object.assign(outputs, await outputsOf(`report (${input.name})`, ["report", ...acmeServerA, "--cloud", file]));
  }
  expect(clearEmailsIn(outputs)).toEqual([]);
});

test("sync: a bad report or page from GitHub, or a bad usage file, never prints a clear email", async () => {
  const outputs: Record<string, string> = {};
  const sync = (name: string) => outputsOf(`sync (${name})`, ["sync", "--config", e.configPath, "--dry-run"], e.env);
  for (const input of LEAKY_GHES_REPORTS) {
    serving.report = input.text;
    Object.assign(outputs, await sync(input.name));
  }
  serving.report = undefined;
  for (const input of LEAKY_CONSUMED_LICENSES) {
    serving.consumedLicenses = input.text;
    Object.assign(outputs, await sync(input.name));
  }
  serving.consumedLicenses = undefined;

  const usageFile = path.join(e.dir, `${HOSTS[1]}.json`);
  const configPath = path.join(e.dir, "usage-file.config.yml");
  writeFileSync(
    configPath,
    deploymentYaml(e.sim, { servers: `  - hostname: ${HOSTS[1]}\n    usageFile: ${usageFile}` }),
  );
  for (const input of leakyUsageFiles(createEmailProtector({ secret: SECRET }).keyId, HOSTS[1]!)) {
    writeFileSync(usageFile, input.text);
    Object.assign(
      outputs,
      await outputsOf(`sync (usage file: ${input.name})`, ["sync", "--config", configPath, "--dry-run"], e.env),
    );
  }
  expect(clearEmailsIn(outputs)).toEqual([]);
});
