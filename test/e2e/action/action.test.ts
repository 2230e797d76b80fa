/**
 * The zero-infrastructure mode: action.yml is valid Actions metadata, the workflow in
 * docs/github-actions.md is a valid workflow that uses it, and the action's own sync step (its
 * `run` script, as the runner executes it) runs against the simulator.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parse } from "yaml";
import { ROOT } from "../../support/cli.js";
import { startSimEnterprise } from "../../support/sim-enterprise.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

const require = createRequire(import.meta.url);
const validator = require("@action-validator/core") as {
  validateAction(src: string): { errors: unknown[] };
  validateWorkflow(src: string): { errors: unknown[] };
};
const actionText = readFileSync(path.join(ROOT, "action.yml"), "utf8");
const action = parse(actionText) as ActionMetadata;
const guide = readFileSync(path.join(ROOT, "docs/github-actions.md"), "utf8");
const workflowText = /```yaml\n(# \.github\/workflows\/license-sync\.yml[\s\S]*?)```/.exec(guide)?.[1];

test("action.yml is valid GitHub Actions metadata; the validator refuses a broken one", () => {
  expect(validator.validateAction(actionText).errors).toEqual([]);
  expect(
    validator.validateAction(actionText.replace("using: composite", "using: compost")).errors.length,
  ).toBeGreaterThan(0);
  expect(action.runs.using).toBe("composite");
});

test("docs/github-actions.md holds a complete, valid workflow: weekly schedule, manual dry run, secrets, this action", () => {
  expect(workflowText).toBeDefined();
  expect(validator.validateWorkflow(workflowText!).errors).toEqual([]);
  const workflow = parse(workflowText!) as {
    on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, unknown> } };
    jobs: Record<string, { steps: Step[]; env?: Record<string, string> }>;
  };
  expect(workflow.on.schedule[0]!.cron.split(" ")).toHaveLength(5);
  expect(Object.keys(workflow.on.workflow_dispatch.inputs)).toContain("dry-run");
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const uses = steps.find((s) => s.uses?.startsWith("license-sync/license-sync@"));
  expect(uses?.with).toMatchObject({ "dry-run": expect.stringContaining("inputs.dry-run") });
  const env = JSON.stringify(Object.values(workflow.jobs).map((job) => ({ ...job.env, ...uses?.env })));
  for (const secret of ["LICENSE_SYNC_SECRET", "GHEC_TOKEN"]) expect(env).toContain(`secrets.${secret}`);
});

test("the action sets up the Node major that CI tests", () => {
  const setup = action.runs.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
  const engines = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } })
    .engines.node;
  expect(String(setup?.with?.["node-version"])).toBe(/(\d+)/.exec(engines)![1]);
});

/** Runs the action's sync step as the runner would: bash, the step's env with its expressions filled in. */
function runSyncStep(
  inputs: Record<string, string>,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string; summary: string }> {
  const step = action.runs.steps.find((s) => s.name === "license-sync sync")!;
  const values: Record<string, string> = { "github.action_path": ROOT.replace(/\/$/, "") };
  for (const [name, spec] of Object.entries(action.inputs))
    values[`inputs.${name}`] = inputs[name] ?? spec.default ?? "";
  const stepEnv = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([k, v]) => [
      k,
      v.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_m, expr: string) => values[expr] ?? ""),
    ]),
  );
  // The script itself must not contain expressions: inputs reach it only through env.
  expect(step.run).not.toMatch(/\$\{\{/);
  const summaryFile = path.join(cwd, "step-summary.md");
  writeFileSync(summaryFile, "");
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step.run!], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env, ...stepEnv, GITHUB_STEP_SUMMARY: summaryFile },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, summary: readFileSync(summaryFile, "utf8") }));
  });
}

describe("the action's sync step against the simulator", () => {
  let e: Awaited<ReturnType<typeof startSimEnterprise>>;
  beforeAll(async () => {
    e = await startSimEnterprise();
    writeFileSync(path.join(e.dir, "license-sync.config.yml"), readFileSync(e.configPath, "utf8"));
  });
  afterAll(() => e.sim.close());

  it("with dry-run: prints the report into the log and the job summary, writes nothing", async () => {
    const result = await runSyncStep({ "dry-run": "true" }, e.env, e.dir);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Would post (dry run, nothing was written):");
    expect(result.summary).toContain(`**${e.dataset.expected.uniqueUsers}**`);
    expect(e.sim.repo("acme", "license-admin").issues).toHaveLength(0);
  });

  it("without dry-run: posts the weekly summary issue", async () => {
    const result = await runSyncStep({}, e.env, e.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Posted:");
    expect(
      e.sim.repo("acme", "license-admin").issues.filter((i) => /^License usage \d{4}-W\d{2}$/.test(i.title)),
    ).toHaveLength(1);
  });

  it("refuses a dry-run input that is not true or false, with exit 2", async () => {
    const result = await runSyncStep({ "dry-run": "yes please" }, e.env, e.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("input dry-run must be true or false");
  });
});
