const DAY_MS = 86_400_000;

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
 * The ISO week of an instant, in UTC (runs are placed by UTC so every worker agrees).
 *
 * @example isoWeek(new Date("2026-11-24T06:00:00Z")).label // "2026-W48"
 */
export function isoWeek(date: Date): IsoWeek {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  // The week belongs to the year of its Thursday.
  const year = new Date(monday + 3 * DAY_MS).getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const firstMonday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const week = Math.round((monday - firstMonday) / (7 * DAY_MS)) + 1;
  return { year, week, label: `${year}-W${String(week).padStart(2, "0")}`, start: new Date(monday) };
}
