/**
 * Characters a terminal acts on rather than prints: C0 and C1 controls (ESC starts the sequences
 * that retitle, clear or recolour the terminal; 0x9B is an 8-bit CSI), DEL, and the bidirectional
 * overrides and isolates that make text display in another order than it reads.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from files or GitHub made safe to print on a terminal: every control or bidi character is
 * shown as its escape (`\x1b`, `\u202e`) instead of being sent, so a hostile login cannot drive
 * the operator's terminal, and a newline inside a value cannot break a table row.
 *
 * @example printable("evil\u001b]0;pwned\u0007") // "evil\\x1b]0;pwned\\x07"
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
}

/** The unprintable characters but tab, line feed and carriage return, which a CSV cell may hold quoted. */
const UNPRINTABLE_BUT_LAYOUT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `printable` for a CSV cell: escape sequences and bidi overrides are shown as escapes, while
 * tab and line breaks stay (the CSV writer quotes them, and a formula hidden behind them is
 * `neutralizeFormula`'s job).
 *
 * @example printableCell("a\u001b[2Jb\tc") // "a\\x1b[2Jb\tc"
 */
export function printableCell(text: string): string {
  return text.replace(UNPRINTABLE_BUT_LAYOUT, (c) => printable(c));
}
