#!/usr/bin/env node
// Entry point of `license-sync`: no logic here, the runner owns parsing and error handling.
import { runCli } from "./cli/index.js";

process.exitCode = await runCli(process.argv.slice(2));
