import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../../src/shared/errors.js";
import { readRuntimeSettings } from "../../../src/runtime/settings.js";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
const base = { APP_ID: "42", PRIVATE_KEY: PEM, WEBHOOK_SECRET: "w", LICENSE_SYNC_SECRET: "s" };

function problem(env: NodeJS.ProcessEnv, options?: { needsWebhookSecret?: boolean }): InputError {
  try {
    readRuntimeSettings(env, options);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

test("defaults follow Probot's and the architecture's contract", () => {
  expect(readRuntimeSettings(base)).toMatchObject({
    appId: 42,
    privateKey: PEM,
    port: 3000,
    logLevel: "info",
    redisUrl: "redis://127.0.0.1:6379",
    configPath: "license-sync.config.yml",
    appApiUrl: undefined,
    queuePrefix: "license-sync",
    workerConcurrency: 4,
  });
  expect(readRuntimeSettings({ ...base, GHE_HOST: "ghe.corp.example", PORT: "8080" })).toMatchObject({
    appApiUrl: "https://ghe.corp.example/api/v3",
    port: 8080,
  });
});

test("a missing required variable names itself and the fix", () => {
  const { LICENSE_SYNC_SECRET: _secret, ...withoutSecret } = base;
  expect(problem(withoutSecret)).toMatchObject({ where: "LICENSE_SYNC_SECRET", problem: "is not set" });
  expect(problem(withoutSecret).fix).toMatch(/long random string/);
  const { APP_ID: _id, ...withoutId } = base;
  expect(problem(withoutId).where).toBe("APP_ID");
  expect(problem({ ...base, WEBHOOK_SECRET: "" }, { needsWebhookSecret: true }).where).toBe("WEBHOOK_SECRET");
  expect(problem({ ...base, PRIVATE_KEY: "" }).where).toBe("PRIVATE_KEY");
  expect(problem({ ...base, PRIVATE_KEY: "not a key" }).problem).toMatch(/not a PEM/);
  expect(problem({ ...base, PORT: "eighty" }).where).toBe("PORT");
  expect(problem({ ...base, LOG_LEVEL: "loud" as "info" }).where).toBe("LOG_LEVEL");
});

test("the private key may come on one line with \\n, or from PRIVATE_KEY_PATH", () => {
  expect(readRuntimeSettings({ ...base, PRIVATE_KEY: PEM.replace(/\n/g, "\\n") }).privateKey).toBe(PEM);
  const dir = mkdtempSync(join(tmpdir(), "ls-key-"));
  writeFileSync(join(dir, "app.pem"), PEM);
  const { PRIVATE_KEY: _key, ...withoutKey } = base;
  expect(readRuntimeSettings({ ...withoutKey, PRIVATE_KEY_PATH: join(dir, "app.pem") }).privateKey).toBe(PEM);
  expect(problem({ ...withoutKey, PRIVATE_KEY_PATH: join(dir, "missing.pem") }).problem).toMatch(/cannot read/);
});

test("METRICS_PORT equal to PORT is refused naming both (the second listen failed with a bare EADDRINUSE)", () => {
  expect(problem({ ...base, PORT: "3000", METRICS_PORT: "3000" })).toMatchObject({
    where: "METRICS_PORT",
    problem: "is the same port as PORT",
  });
  expect(problem({ ...base, METRICS_PORT: "3000" }).fix).toMatch(/unset METRICS_PORT/);
  expect(readRuntimeSettings({ ...base, PORT: "3000", METRICS_PORT: "9100" })).toMatchObject({
    port: 3000,
    metricsPort: 9100,
  });
});

test("LOG_FORMAT is read in any case, like LOG_LEVEL", () => {
  const env = (vars: Record<string, string>) => ({ ...base, ...vars }) as NodeJS.ProcessEnv;
  expect(readRuntimeSettings(env({ LOG_FORMAT: "JSON", LOG_LEVEL: "DEBUG" }))).toMatchObject({
    logFormat: "json",
    logLevel: "debug",
  });
  expect(readRuntimeSettings(env({ LOG_FORMAT: "Pretty" })).logFormat).toBe("pretty");
  expect(problem(env({ LOG_FORMAT: "yaml" })).where).toBe("LOG_FORMAT");
});

test("METRICS_TOKEN: the spaces around it are dropped (HTTP trims the header, it never matched); set but blank is refused, not read as no token", () => {
  const env = (vars: Record<string, string>) => ({ ...base, ...vars }) as NodeJS.ProcessEnv;
  expect(readRuntimeSettings(env({ METRICS_TOKEN: " m3trics \n" })).metricsToken).toBe("m3trics");
  expect(problem(env({ METRICS_TOKEN: "  " }))).toMatchObject({ where: "METRICS_TOKEN", problem: "is set but blank" });
  expect(readRuntimeSettings(env({})).metricsToken).toBeUndefined();
});
