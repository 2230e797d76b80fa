import type { EnqueueResult } from "../jobs/index.js";
import { codeSpan, type InputError } from "../shared/index.js";
import type { CommandPolicy } from "./authorize.js";
import { teamRef } from "./authorize.js";
import type { ParsedCommand } from "./parse.js";

// Team names and logins go in code spans (codeSpan): `@org/team` would notify every member of the
// team, and a span that a backtick or a blank line could close would let the rest go live.

/** How much of a word the commenter typed a reply repeats, in characters. */
export const ECHO_CHARS = 40;
/** How many unknown options a reply names. */
const ECHO_OPTIONS = 3;

/**
 * A short prefix of user input, as a code span: a reply never repeats a long word (GitHub refuses
 * comments over 65,536 characters, and an echo is no place for someone else's text).
 */
function echo(text: string): string {
  const chars = [...text];
  return codeSpan(chars.length > ECHO_CHARS ? `${chars.slice(0, ECHO_CHARS).join("")}…` : text);
}

/** `a`, `a and b`, `a, b and c`. */
const inWords = (parts: string[]) =>
  parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "");

/** Who may run commands, in words. Logins and teams in code spans, so nobody is notified. */
export function describePolicy(policy: CommandPolicy, repositoryOwner: string): string {
  const team = policy.team ? teamRef(policy.team, repositoryOwner) : undefined;
  const parts = [
    ...(policy.allowRepositoryAdmins ? ["administrators of this repository"] : []),
    ...(policy.users.length
      ? [`the user${policy.users.length > 1 ? "s" : ""} ${inWords(policy.users.map((login) => codeSpan(login)))}`]
      : []),
    ...(team ? [`members of the ${codeSpan(`${team.org}/${team.slug}`)} team`] : []),
  ];
  if (parts.length === 0 || policy.restrictTo?.length === 0) return "nobody (commands are turned off)";
  const only = policy.restrictTo
    ? `, and of them only ${inWords(policy.restrictTo.map((login) => codeSpan(login)))}`
    : "";
  return `${inWords(parts)}${only}`;
}

/**
 * The polite refusal: names who may run commands and how that is configured, so the commenter
 * knows whom to ask. No run starts.
 *
 * @example refusalReply("octo", { allowRepositoryAdmins: true }, "acme")
 */
export function refusalReply(login: string, policy: CommandPolicy, repositoryOwner: string): string {
  return [
    `Sorry @${login}, \`/license-sync\` commands can only be run by ${describePolicy(policy, repositoryOwner)}. Nothing was started.`,
    "",
    "If you need a run, ask one of them. The operator allows more people under `commands` in the deployment config (`team`, `users`); `commands` in `.github/license-sync.yml` can only narrow that (`allowRepositoryAdmins`, `restrictTo`).",
  ].join("\n");
}

/** The answer to `/license-sync now` once the queue took it. */
export function queuedReply(result: EnqueueResult, dryRun: boolean): string {
  const kind = dryRun ? "A dry run (nothing will be posted or committed)" : "A license sync run";
  if (result.deduplicated)
    return `A run is already queued; your request joins it (run \`${result.runId}\`). I will reply here when it finishes.`;
  return `${kind} is queued (run \`${result.runId}\`). I will reply here when it finishes.`;
}

/** An invalid `.github/license-sync.yml`: the key, the problem and the fix. No run starts. */
export function configErrorReply(error: InputError): string {
  return [
    `I cannot run: \`${error.source}\` is invalid${error.where ? ` at ${codeSpan(error.where)}` : ""}: ${error.problem}.`,
    "",
    `${error.fix} Nothing was started; run the command again once the file is fixed.`,
  ].join("\n");
}

/** `/license-sync help`, also the answer to an unknown subcommand or option. */
export function helpReply(command?: Pick<ParsedCommand, "unknownSubcommand" | "unknownOptions">): string {
  const problems: string[] = [];
  if (command?.unknownSubcommand) problems.push(`I do not know the command ${echo(command.unknownSubcommand)}.`);
  const options = command?.unknownOptions ?? [];
  if (options.length) {
    const more = options.length > ECHO_OPTIONS ? ` and ${options.length - ECHO_OPTIONS} more` : "";
    problems.push(
      `I do not know the option${options.length > 1 ? "s" : ""} ${options.slice(0, ECHO_OPTIONS).map(echo).join(", ")}${more}; nothing was started.`,
    );
  }
  return [
    ...(problems.length ? [problems.join(" "), ""] : []),
    "**license-sync commands** (on any issue of this repository):",
    "",
    "| Command | What it does |",
    "| --- | --- |",
    "| `/license-sync now` | Collects license usage from every instance and GitHub Enterprise Cloud, then updates the weekly summary and divergence issues. |",
    "| `/license-sync now --dry-run` | The same computation, but posts and commits nothing; the reply says what would change. |",
    "| `/license-sync status` | Recent runs, the next scheduled run and the configured instances. |",
    "| `/license-sync help` | This text. |",
    "",
    "Settings live in `.github/license-sync.yml` (see docs/configuration.md).",
  ].join("\n");
}

/** The queue could not take or answer the command (Redis down, say). Details go to the log, not the issue. */
export function commandFailedReply(): string {
  return "I could not carry out this command: the run queue did not answer. Nothing was started. Please try again in a few minutes; if it keeps failing, ask the operator to check the license-sync service (`/readyz`).";
}
