/**
 * The `license-sync` command line: `report`, `sync`, `export` (in commands/), options, output and
 * progress.
 */
export { runCli } from "./run.js";
