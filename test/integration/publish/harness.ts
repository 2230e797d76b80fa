import { paginateGraphQL } from "@octokit/plugin-paginate-graphql";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { createGhecClient } from "../../../src/github/ghec-client.js";
import type { GitHubClient } from "../../../src/github/client.js";
import { concurrencyPlugin } from "../../../src/github/concurrency.js";
import { octokitLog } from "../../../src/github/logger.js";
import { requestLogPlugin } from "../../../src/github/request-log.js";
import type { PublishTarget } from "../../../src/publish/types.js";
import { installationToken, startAppSimulator } from "../../sim/app-fixture.js";
import type { IssueView, Simulator } from "../../sim/server.js";
import { captureLog, type CapturedLog } from "../../support/capture-log.js";
import { repoConfig } from "../../support/record.js";

/** The simulator with the App installed on acme, and a client acting as the App's bot. */
export interface Harness {
  sim: Simulator;
  octokit: GitHubClient;
  log: CapturedLog;
  target(overrides?: Partial<PublishTarget>): PublishTarget;
  /** Issues of acme/license-admin, lowest number first. */
  issues(): IssueView[];
  files(): Record<string, string>;
  close(): Promise<void>;
}

/**
 * The production client (`createGhecClient`), or with `fast` the same plugins with throttling
 * switched off: GitHub's pacing of writes (one a second, one notification every three) would
 * make a test of fifty writes last minutes, and pacing is the throttling plugin's business.
 */
function client(apiUrl: string, token: string, log: CapturedLog, fast: boolean): GitHubClient {
  if (!fast) return createGhecClient({ apiUrl, token, logger: log.logger, retryDelayMs: 1 });
  const Client = Octokit.plugin(requestLogPlugin(log.logger), concurrencyPlugin(8), throttling, retry, paginateGraphQL);
  return new Client({
    baseUrl: apiUrl,
    auth: token,
    log: octokitLog(log.logger),
    throttle: { enabled: false },
    retry: { enabled: false },
  }) as GitHubClient;
}

export async function startHarness(options: { fast?: boolean } = {}): Promise<Harness> {
  const sim = await startAppSimulator();
  const token = await installationToken(sim, 11);
  const log = captureLog();
  const octokit = client(sim.url, token, log, options.fast ?? true);
  return {
    sim,
    octokit,
    log,
    target: (overrides = {}) => ({
      octokit,
      owner: "acme",
      repo: "license-admin",
      config: repoConfig(),
      logger: log.logger,
      dryRun: false,
      ...overrides,
    }),
    issues: () => [...sim.repo("acme", "license-admin").issues].sort((a, b) => a.number - b.number),
    files: () => sim.repo("acme", "license-admin").files(),
    close: () => sim.close(),
  };
}

/** Open issues carrying a label. */
export const openWithLabel = (issues: IssueView[], label: string): IssueView[] =>
  issues.filter((i) => i.state === "open" && i.labels.includes(label));
