import { maskEmails } from "../privacy/index.js";
import { isInputError } from "../shared/index.js";
import { describeFailure } from "./describe-failure.js";
import { COMMAND_USAGE, USAGE, version } from "./usage.js";

type Command = (args: string[]) => Promise<number>;

/** The runner's messages on standard error pass the email guard: they may quote what failed. */
const complain = (text: string) => process.stderr.write(maskEmails(`${text}\n`));

/** Subcommands by name, loaded on demand: `report` need not load Octokit, nor `export` the engine's renderers. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  report: () => import("./commands/report.js").then((m) => m.reportCommand),
  sync: () => import("./commands/sync.js").then((m) => m.syncCommand),
  export: () => import("./commands/export.js").then((m) => m.exportCommand),
};

/**
 * The runner: picks the subcommand and owns error handling, so exit codes follow the contract:
 * 0 success, 1 run failed, 2 bad input or configuration.
 */
export async function runCli(argv: string[]): Promise<number> {
  // `license-sync report ... | head`: a reader that stops early is not a failure.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? args[0] : undefined;
    process.stdout.write(topic && COMMAND_USAGE[topic] ? COMMAND_USAGE[topic] : USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    complain(`license-sync: unknown command "${name}". Run \`license-sync help\` for the commands.`);
    return 2;
  }
  // Help wins over every other option, wherever it stands.
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(COMMAND_USAGE[name] ?? USAGE);
    return 0;
  }
  try {
    const command = await load();
    return await command(args);
  } catch (error) {
    if (isInputError(error)) {
      complain(`license-sync ${name}: ${error.message}`);
      return 2;
    }
    complain(`license-sync ${name} failed: ${describeFailure(error)}`);
    return 1;
  }
}
