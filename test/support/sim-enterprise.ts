import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDataset, type Dataset, type DatasetOptions } from "../sim/dataset.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../sim/server.js";

export const HOSTS = ["ghes-a.corp.example", "ghes-b.corp.example"];
export const TOKENS = { GHEC_TOKEN: "ghp-cloud", GHES_A_TOKEN: "ghp-ghes-a", GHES_B_TOKEN: "ghp-ghes-b" };
export const SECRET = "sim-secret-0123456789";

/** A simulated enterprise with two GHES instances and an admin repository, plus a deployment config for it. */
export async function startSimEnterprise(
  datasetOptions: Partial<DatasetOptions> = {},
  simOptions: Partial<SimulatorOptions> = {},
) {
  const dataset: Dataset = createDataset({
    seed: 7,
    persons: 3000,
    hosts: HOSTS,
    seatsPurchased: 4000,
    ...datasetOptions,
  });
  const sim: Simulator = await startSimulator({
    dataset,
    tokens: {
      [TOKENS.GHEC_TOKEN]: {
        scopes: ["read:enterprise", "repo", "admin:enterprise"],
        login: "ent-owner",
        targets: ["cloud"],
      },
      [TOKENS.GHES_A_TOKEN]: { scopes: ["site_admin"], login: "admin-a", targets: [HOSTS[0]!] },
      [TOKENS.GHES_B_TOKEN]: { scopes: ["site_admin"], login: "admin-b", targets: [HOSTS[1]!] },
    },
    repositories: [{ owner: "acme", name: "license-admin", files: {}, permissions: { "ent-owner": "admin" } }],
    ...simOptions,
  });
  const dir = mkdtempSync(path.join(tmpdir(), "license-sync-e2e-"));
  const configPath = path.join(dir, "license-sync.config.yml");
  writeFileSync(configPath, deploymentYaml(sim));
  const env = { ...TOKENS, LICENSE_SYNC_SECRET: SECRET, APP_ID: "", PRIVATE_KEY: "", PRIVATE_KEY_PATH: "" };
  return { dataset, sim, dir, configPath, env };
}

/** The deployment config as an operator would write it, secrets through ${VAR}. */
export function deploymentYaml(sim: Simulator, overrides: { servers?: string } = {}): string {
  return [
    "enterprise: acme",
    "cloud:",
    `  apiUrl: ${sim.url}`,
    "  token: ${GHEC_TOKEN}",
    "adminRepository: acme/license-admin",
    "collect:",
    "  pollIntervalSeconds: 0.05",
    "servers:",
    overrides.servers ??
      [
        `  - hostname: ${HOSTS[0]}`,
        `    url: ${sim.serverUrl(HOSTS[0]!)}`,
        "    token: ${GHES_A_TOKEN}",
        `  - hostname: ${HOSTS[1]}`,
        `    url: ${sim.serverUrl(HOSTS[1]!)}`,
        "    token: ${GHES_B_TOKEN}",
      ].join("\n"),
    "",
  ].join("\n");
}
