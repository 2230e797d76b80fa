#!/usr/bin/env node
// The published command: the compiled CLI (built by `npm ci` through the `prepare` script).
import "../dist/cli.js";
