import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError, nearestKey } from "../shared/index.js";

/**
 * `util.parseArgs` in strict mode, with its errors (unknown option, missing value) turned into
 * exit-2 input errors that point at `license-sync COMMAND --help`; an unknown option is followed
 * by the nearest known one, as unknown config keys are (`--confg`: did you mean --config?).
 *
 * @example const { out } = parseOptions(args, { out: { type: "string" } });
 */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '--?([^'=]+)'/.exec(message)?.[1];
    const nearest = unknown === undefined ? undefined : nearestKey(unknown, Object.keys(options));
    const problem =
      nearest === undefined
        ? message
        : message.replace(/^(Unknown option '[^']*')\.?/, `$1 (did you mean --${nearest}?)`);
    throw new InputError("command line", "", problem, "Run `license-sync COMMAND --help` for the options.");
  }
}
