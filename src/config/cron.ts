import { CronExpressionParser } from "cron-parser";

/** The five fields of a cron expression, in order, as the messages name them. */
const FIELDS = ["minute", "hour", "day of month", "month", "day of week"] as const;
/** A harmless value per field, to test one field of an expression at a time. */
const NEUTRAL = ["0", "0", "*", "*", "*"];

function parses(expression: string): boolean {
  try {
    CronExpressionParser.parse(expression, { tz: "UTC" }).next();
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a schedule's cron expression cannot be used, or null when it can. Checked by the same
 * parser BullMQ's job scheduler uses, so a config that validates is one the scheduler accepts.
 * Runs are at most hourly: the minute must be one number (`0 * * * *` is the most frequent
 * schedule), since every run reads every instance's full user report. Messages name the field,
 * never the value typed.
 *
 * @example
 *   cronProblem("0 6 * * 1")   // null
 *   cronProblem("99 6 * * 1")  // "the minute field is not valid …"
 *   cronProblem("0,30 * * * *") // "runs more than once an hour …"
 */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return 'expected a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1"';
  const bad = fields.findIndex(
    (field, index) => !parses(NEUTRAL.map((neutral, i) => (i === index ? field : neutral)).join(" ")),
  );
  if (bad >= 0) return `the ${FIELDS[bad]} field is not valid cron syntax; expected e.g. "0 6 * * 1" (Mondays 06:00)`;
  if (!parses(expression)) return 'never matches a date (check day of month against month); expected e.g. "0 6 * * 1"';
  if (!/^\d{1,2}$/.test(fields[0]!))
    return 'runs more than once an hour; license-sync runs at most hourly, so give the minute as one number, e.g. "0 * * * *" or "0 6 * * 1"';
  return null;
}
