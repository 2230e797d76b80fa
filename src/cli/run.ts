import { isInputError } from "../errors.js";
import { reportCommand } from "./report-command.js";
import { USAGE } from "./usage.js";

type Command = (args: string[]) => Promise<number>;

/** Subcommands by name; `sync` and `export` join when their collectors exist. */
const COMMANDS: Record<string, Command> = { report: reportCommand };

/**
 * The runner: picks the subcommand and owns error handling, so exit codes follow the contract:
 * 0 success, 1 run failed, 2 bad input or configuration.
 */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`license-sync: unknown command "${name}". Run \`license-sync help\` for the commands.\n`);
    return 2;
  }
  try {
    return await command(args);
  } catch (error) {
    if (isInputError(error)) {
      process.stderr.write(`license-sync ${name}: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`license-sync ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
