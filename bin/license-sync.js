#!/usr/bin/env node
// The published command: the compiled CLI (built by `npm ci` through the `prepare` script).
// Inside a checkout (src/ beside bin/; the published package has none, so it pays one existsSync)
// it first says when dist/ is missing or older than src/: after an edit it would otherwise run
// the previous build without a word.
import { existsSync } from "node:fs";

if (existsSync(new URL("../src/", import.meta.url))) {
  const { distState } = await import("../scripts/dist.js");
  const dist = distState();
  if (dist.state === "missing") {
    console.error(
      "license-sync: dist/ is missing in this checkout: run `npm run build` (or `npm run cli -- ...`, which builds first)",
    );
    process.exit(1);
  }
  if (dist.state === "stale")
    console.error(
      `license-sync: dist/ is older than src/ (${dist.changed} changed since the last build), so this runs the previous build: run \`npm run build\`, or \`npm run cli -- ...\`, which rebuilds what changed first`,
    );
}
await import("../dist/cli.js");
