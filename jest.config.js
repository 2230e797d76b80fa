/**
 * Jest in native ESM mode with ts-jest transpiling only (type-checking is `npm run typecheck`).
 *
 * Two projects, so Redis is needed only where a test talks to it:
 * - `pure`: units, the simulator and the test support, the CLI on files, docs and deployment files. No global setup:
 *   `npx jest test/unit` runs with no Redis anywhere.
 * - `redis`: handlers, collection and publication through the simulator, the run queue and store,
 *   end to end. Its global setup makes sure a Redis answers at REDIS_URL (starting a private one
 *   when none does). Jest runs a project's global setup only when one of its tests is selected.
 * A test file that starts talking to Redis belongs under test/integration or test/e2e.
 */
const shared = {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, diagnostics: false }],
  },
};

export default {
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: "pure",
      testMatch: ["<rootDir>/test/{unit,sim,support,cli,docs,deploy}/**/*.test.ts"],
    },
    {
      ...shared,
      displayName: "redis",
      testMatch: ["<rootDir>/test/{integration,e2e}/**/*.test.ts"],
      globalSetup: "<rootDir>/test/support/global-setup.ts",
      globalTeardown: "<rootDir>/test/support/global-teardown.ts",
    },
  ],
};
