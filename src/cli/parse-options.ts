import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../errors.js";

/**
 * `util.parseArgs` in strict mode, with its errors (unknown option, missing value) turned into
 * exit-2 input errors that point at `license-sync COMMAND --help`.
 *
 * @example const { out } = parseOptions(args, { out: { type: "string" } });
 */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new InputError("command line", "", (error as Error).message, "Run `license-sync COMMAND --help` for the options.");
  }
}
