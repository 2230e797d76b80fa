import { DateTime } from "luxon";

/** An ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
export interface IsoWeek {
  year: number;
  week: number;
  /** E.g. `2026-W48`; sorts as text in time order. */
  label: string;
  /** Monday 00:00 UTC. */
  start: Date;
}

/**
 * The ISO week of an instant, in UTC (runs are placed by UTC so every worker agrees). Luxon does
 * the calendar arithmetic: `Intl.Locale` week info gives the first day of a locale's week, not
 * ISO week numbers, and Luxon is already in the tree (cron-parser's time library).
 *
 * @example isoWeek(new Date("2026-11-24T06:00:00Z")).label // "2026-W48"
 */
export function isoWeek(date: Date): IsoWeek {
  const utc = DateTime.fromJSDate(date, { zone: "utc" });
  return {
    year: utc.weekYear,
    week: utc.weekNumber,
    label: utc.toFormat("kkkk-'W'WW"),
    start: utc.startOf("week").toJSDate(),
  };
}
