import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeAll, expect } from "@jest/globals";
import nock from "../../../support/nock.js";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../../../src/handlers/app.js";
import { webDeploymentConfigSchema, type WebDeploymentConfig } from "../../../../src/config/deployment.js";
import type { DeliveryClaims } from "../../../../src/jobs/queue/delivery-claims.js";
import { createEmailProtector } from "../../../../src/privacy/protect.js";
import { MemoryRunQueue } from "./memory-queue.js";
import { recordingLogger, type LogLine } from "./recording-logger.js";

export const API = "https://api.github.com";
export const INSTALLATION_ID = 11;
export const SECRET = "test-license-sync-secret";
export const KEY_ID = createEmailProtector({ secret: SECRET }).keyId;

// One key per test file: Probot signs real JWTs with it, GitHub's side is nock.
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** The deployment of every handler test as the web process reads it (no tokens): one API instance, two air-gapped instances. */
export function testDeployment(overrides: Record<string, unknown> = {}): WebDeploymentConfig {
  return webDeploymentConfigSchema.parse({
    enterprise: "acme",
    adminRepository: "acme/license-admin",
    servers: [
      { hostname: "ghes-a.corp.example", url: "https://ghes-a.corp.example", token: "ghp-never-shown" },
      { hostname: "ghes-b.corp.example", usageFile: "license-usage/uploads/ghes-b.json" },
      { hostname: "ghes-c.corp.example", usageFile: "license-usage/uploads/ghes-c.json.gz" },
    ],
    ...overrides,
  });
}

export interface TestApp {
  probot: Probot;
  queue: MemoryRunQueue;
  logs: LogLine[];
  deployment: WebDeploymentConfig;
}

/** A Probot with the real app loaded, an in-memory queue, and a recording logger. */
export async function startTestApp(
  options: {
    usageFileKeyId?: string | null;
    baseUrl?: string;
    deployment?: Record<string, unknown>;
    deliveries?: DeliveryClaims;
  } = {},
): Promise<TestApp> {
  const queue = new MemoryRunQueue();
  const logger = recordingLogger();
  const deployment = testDeployment(options.deployment);
  const probot = new Probot({
    appId: 4242,
    privateKey,
    logLevel: "fatal",
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // No retries or throttling: a test sees each request once and fails fast. A function, because
    // Probot replaces a plain `throttle` default with its own (and the throttling plugin spaces
    // comment posts 3 s apart).
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
  });
  const usageFileKeyId = options.usageFileKeyId === null ? undefined : (options.usageFileKeyId ?? KEY_ID);
  await probot.load(
    createApp({
      queue,
      deployment,
      logger,
      ...(usageFileKeyId ? { usageFileKeyId } : {}),
      ...(options.deliveries ? { deliveries: options.deliveries } : {}),
    }),
  );
  return { probot, queue, logs: logger.lines, deployment };
}

/** The installation token exchange Probot makes before the first call of a delivery. */
export function mockToken(scope: nock.Scope, installationId = INSTALLATION_ID): nock.Scope {
  return scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token: "ghs_test",
    expires_at: "2099-01-01T00:00:00Z",
    permissions: { issues: "write", contents: "write", metadata: "read", members: "read" },
  });
}

/**
 * Every handler test file: no real network (loopback stays open for Redis), and every declared
 * mock must have been used, checked after each test.
 */
export function strictNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
}

/** Matches a contents API request for `path` (Octokit may encode its slashes), optionally at `ref`. */
export function contentsOf(path: string, ref?: string, repo = "acme/license-admin"): (uri: string) => boolean {
  return (uri) => {
    const url = new URL(uri, API);
    return (
      decodeURIComponent(url.pathname) === `/repos/${repo}/contents/${path}` &&
      (ref === undefined || url.searchParams.get("ref") === ref)
    );
  };
}

/** A contents API answer for a file (base64 in the JSON envelope, as GitHub inlines files up to 1 MB). */
export function fileContents(path: string, content: string | Buffer): Record<string, unknown> {
  const bytes = Buffer.from(content);
  return {
    type: "file",
    name: path.split("/").at(-1),
    path,
    size: bytes.length,
    sha: "f".repeat(40),
    encoding: "base64",
    content: bytes.toString("base64"),
  };
}
