import { Parser, type Node } from "commonmark";

/** Subcommands the app runs. */
export type CommandName = "now" | "status" | "help";

/** A `/license-sync` line, understood. */
export interface ParsedCommand {
  /** What to do; `help` for a bare `/license-sync` and for anything unknown. */
  name: CommandName;
  /** The subcommand as typed, lower-cased, when it was not one we know (answered with help). */
  unknownSubcommand?: string;
  /** `--dry-run`: compute and reply, change nothing. Only `now` uses it. */
  dryRun: boolean;
  /** Options we do not know. `now` with an unknown option does not run: a typo of `--dry-run` must not start a real run. */
  unknownOptions: string[];
}

const KNOWN: ReadonlySet<string> = new Set<CommandName>(["now", "status", "help"]);
// `\s` after the name (or the end) so `/license-syncer` is not ours.
const COMMAND_LINE = /^\/license-sync(?:\s+(.*))?$/i;
// Phones and some editors turn `--` into an en or em dash; accept those as the option prefix.
const OPTION = /^(?:--|\u2013|\u2014)([a-z0-9-]+)$/i;

// GitHub caps a comment at 65,536 characters; anything longer is not a comment we were sent.
const MAX_BODY = 65_536;
/**
 * How much of each line is read. commonmark.js is quadratic on some shapes (a list marker nested
 * thousands of times on one line, thousands of unclosed link destinations): a 64 KB comment held
 * the web process for minutes. Block structure is decided at the start of a line and a command is
 * short, so lines are clipped here, which bounds how far the parser can look back and ahead.
 */
export const MAX_LINE_CHARS = 128;
/** Appended to a clipped line: a line that had text past the clip never reads as blank or as a bare closing fence. */
const CLIPPED = "\u2026";

/** Trailing blanks dropped (they never change what counts as code), then at most `MAX_LINE_CHARS` kept. */
function clipLines(body: string): string {
  return body
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const kept = line.trimEnd();
      return kept.length > MAX_LINE_CHARS ? `${kept.slice(0, MAX_LINE_CHARS)}${CLIPPED}` : kept;
    })
    .join("\n");
}

/** A GFM table's delimiter row (`--- | :-:`); a pipe is required, or it is a setext underline or a rule. */
const DELIMITER_ROW = /^ {0,3}(?=[^|]*\|)\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** How many cells a GFM table row has: split at unescaped pipes, one leading and one trailing pipe dropped. */
function cellCount(row: string): number {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "")
    .split(/(?<!\\)\|/).length;
}

/**
 * The part of a paragraph's text before a GFM table, which GitHub renders (commonmark.js does not
 * know tables): a table starts at the row above a delimiter row with as many cells, and runs to
 * the end of the paragraph. A command in a table is documentation.
 */
function beforeTable(content: string): string {
  const lines = content.split("\n");
  const delimiter = lines.findIndex(
    (line, index) => index > 0 && DELIMITER_ROW.test(line) && cellCount(line) === cellCount(lines[index - 1]!),
  );
  return delimiter > 0 ? lines.slice(0, delimiter - 1).join("\n") : content;
}

/** commonmark.js's parser, as far as it is used here (inline parsing is run only where needed). */
interface BlockParser {
  parse(input: string): Node;
  processInlines: (block: Node) => void;
  refmap: unknown;
  inlineParser: { refmap: unknown; parse(block: Node): void };
}

/**
 * The text lines of a top-level paragraph, as a reader sees them: inline HTML (a comment spanning
 * lines, say) is dropped, code spans keep their text, soft and hard breaks end a line.
 */
function paragraphLines(paragraph: Node): string[] {
  let text = "";
  const walker = paragraph.walker();
  for (let step = walker.next(); step; step = walker.next()) {
    if (!step.entering) continue;
    const node = step.node;
    if (node.type === "text") text += node.literal ?? "";
    // Kept in backticks: a command written as code (`` `/license-sync now` ``) is an example.
    else if (node.type === "code") text += `\`${node.literal ?? ""}\``;
    else if (node.type === "softbreak" || node.type === "linebreak") text += "\n";
  }
  return text.split("\n");
}

/**
 * Finds the first line of a comment that starts with `/license-sync` and parses it. What counts
 * is decided by CommonMark, as GitHub renders the comment: only lines of top-level paragraphs
 * are read, so code (spans, fenced blocks however the fence is written, indented blocks), HTML
 * comments and blocks, block quotes (`> /license-sync now`), list items, headings and GFM tables
 * never run a command: quoting someone's command, or documenting one, must not run it again.
 * Case-insensitive, tolerant of extra spaces.
 *
 * @example
 *   parseCommand("/license-sync now --dry-run")   // { name: "now", dryRun: true, unknownOptions: [] }
 *   parseCommand("Thanks!\n/License-Sync  STATUS") // { name: "status", dryRun: false, unknownOptions: [] }
 *   parseCommand("> /license-sync now")            // null
 */
export function parseCommand(body: string | null | undefined): ParsedCommand | null {
  if (!body || body.length > MAX_BODY || !/\/license-sync/i.test(body)) return null;
  // Blocks first; inlines only for the top-level paragraphs that can hold a command.
  const parser = new Parser() as unknown as BlockParser;
  parser.processInlines = () => undefined;
  const document = parser.parse(clipLines(body));
  for (let block = document.firstChild; block; block = block.next) {
    if (block.type !== "paragraph") continue;
    const paragraph = block as unknown as { _string_content?: string | null };
    paragraph._string_content = beforeTable(paragraph._string_content ?? "");
    if (!/\/license-sync/i.test(paragraph._string_content)) continue;
    parser.inlineParser.refmap = parser.refmap;
    parser.inlineParser.parse(block);
    for (const line of paragraphLines(block)) {
      const match = COMMAND_LINE.exec(line.trim());
      if (match) return parseArguments(match[1] ?? "");
    }
  }
  return null;
}

/** `now --dry-run` -> the command. The first word that is not an option is the subcommand. */
function parseArguments(text: string): ParsedCommand {
  const words = text.split(/\s+/).filter(Boolean);
  const unknownOptions: string[] = [];
  let dryRun = false;
  let subcommand: string | undefined;
  for (const word of words) {
    const option = OPTION.exec(word);
    if (option) {
      const name = option[1]!.toLowerCase();
      if (name === "dry-run" || name === "dryrun") dryRun = true;
      else unknownOptions.push(`--${name}`);
    } else {
      // Later plain words are ignored: people add "please" or a reason after the subcommand.
      subcommand ??= word.toLowerCase();
    }
  }
  if (subcommand === undefined) return { name: "help", dryRun, unknownOptions };
  if (KNOWN.has(subcommand)) return { name: subcommand as CommandName, dryRun, unknownOptions };
  return { name: "help", unknownSubcommand: subcommand, dryRun, unknownOptions };
}
