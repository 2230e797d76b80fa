import { z } from "zod";
import type { GitHubClient, RequestMeter } from "../../github/index.js";
import type { Log, ServerLicense, ServerStats } from "../../shared/index.js";
import { issuePath } from "../readers/zod-issue.js";
import { optionalEndpoint } from "./access.js";

/** `2016/02/06 12:41:52 -0600` (GitHub's example) or `2016-02-06 12:41:52 -0600`: date, time, then a `±hhmm` offset. */
const SPACED_DATE = /^(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})\s*([+-]\d{2}):?(\d{2})$/;
/** ISO 8601 date or date-time, with `Z`, `+hh:mm` or `+hhmm`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * GHES writes `expire_at` in several formats; each becomes an ISO 8601 UTC string. Null for
 * anything else.
 *
 * @example parseExpireAt("2016/02/06 12:41:52 -0600") // "2016-02-06T18:41:52.000Z"
 * @example parseExpireAt("2016-02-06 12:41:52 -0600") // "2016-02-06T18:41:52.000Z"
 */
export function parseExpireAt(value: string): string | null {
  const text = value.trim();
  const spaced = SPACED_DATE.exec(text);
  let candidate: string | null = null;
  if (spaced) {
    const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = spaced;
    candidate = `${year}-${month}-${day}T${hour}:${minute}:${second}${offsetHours}:${offsetMinutes}`;
  } else if (ISO_DATE.test(text)) {
    // `+hhmm` is ISO 8601 too, but Date only reads `+hh:mm`.
    candidate = text.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  }
  const time = candidate === null ? Number.NaN : Date.parse(candidate);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

const count = z.number().int().nonnegative();
/** A seat count, or GHES's `"unlimited"` (any case). */
const seats = z.union([count, z.string().trim().toLowerCase().pipe(z.literal("unlimited"))]);

/**
 * `GET /enterprise/settings/license`: the fields the pipeline uses. `seats_used` is compared with
 * the report's billable accounts; a license without readable seats is no license.
 */
export const licenseSchema = z.looseObject({
  /** Purchased seats, or `"unlimited"`. */
  seats,
  /** Seats in use as GHES counts them. */
  seats_used: count,
});

/**
 * The license's informational fields, each read on its own: one GHES writes that no reader
 * needs (`seats_available` below zero once over-consumed, a `kind` that is not text, an
 * `expire_at` in a new format) is skipped with a warning, never a failed collection.
 */
const informational = {
  /** Seats left; GHES writes negative numbers when over-consumed, skipped then. */
  seats_available: seats.nullable(),
  /** `standard`, `evaluation`, ...: shown as is when it is text. */
  kind: z.string().nullable(),
  /** Days until the license expires (negative once expired). */
  days_until_expiration: z.number().int().nullable(),
  /** Expiry in any format {@link parseExpireAt} reads, or null. */
  expire_at: z
    .string()
    .nullable()
    .transform((value, ctx) => {
      if (value === null || value.trim() === "") return null;
      const parsed = parseExpireAt(value);
      if (parsed === null) ctx.addIssue({ code: "custom", message: "expected a date" });
      return parsed;
    }),
} as const;
type Informational = { [K in keyof typeof informational]: z.output<(typeof informational)[K]> | null };

/** Reads each informational field, leaving out (null) and naming the ones it cannot read. */
function readInformational(data: Record<string, unknown>): { values: Informational; skipped: string[] } {
  const skipped: string[] = [];
  const read = <K extends keyof typeof informational>(key: K): Informational[K] => {
    if (data[key] === undefined) return null;
    const parsed = informational[key].safeParse(data[key]);
    if (parsed.success) return parsed.data as Informational[K];
    skipped.push(key);
    return null;
  };
  const values = {
    seats_available: read("seats_available"),
    kind: read("kind"),
    days_until_expiration: read("days_until_expiration"),
    expire_at: read("expire_at"),
  };
  return { values, skipped };
}

/** `GET /enterprise/stats/users`: informational only (shown beside the report's counts). */
export const statsSchema = z.looseObject({ total_users: count, admin_users: count, suspended_users: count });

/**
 * Validates an informational answer; when it does not fit, logs once which field (never its value)
 * and returns null, as if the endpoint were absent: the instance's accounts still count.
 */
function parseOrSkip<S extends z.ZodType>(
  schema: S,
  data: unknown,
  { hostname, logger }: { hostname: string; logger: Log },
  route: string,
): z.output<S> | null {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  logger.warn(
    { hostname, route, field: issuePath("", issue).replace(/^\./, "") || "(top level)", problem: issue.message },
    "GHES answered in a shape license-sync does not know; its figures are left out of the summary (the accounts still count)",
  );
  return null;
}

interface SiteAdminReadOptions {
  client: GitHubClient;
  hostname: string;
  meter: RequestMeter;
  logger: Log;
}

/**
 * Reads the instance's license; null when the endpoint is absent (logged).
 *
 * @example const license = await fetchServerLicense({ client, hostname, meter, logger });
 */
export async function fetchServerLicense({
  client,
  hostname,
  meter,
  logger,
}: SiteAdminReadOptions): Promise<ServerLicense | null> {
  const route = "GET /enterprise/settings/license";
  const data = await optionalEndpoint(() => client.request(route, { request: meter.tag() }), hostname, route);
  if (data === null) {
    logger.warn({ hostname, route }, "GHES has no license endpoint; seat figures will be missing");
    return null;
  }
  const license = parseOrSkip(licenseSchema, data, { hostname, logger }, route);
  if (license === null) return null;
  const { values, skipped } = readInformational(license);
  if (skipped.length > 0)
    logger.warn(
      { hostname, route, fields: skipped },
      "GHES license: skipped informational fields license-sync cannot read",
    );
  return {
    seats: license.seats,
    seatsUsed: license.seats_used,
    seatsAvailable: values.seats_available,
    kind: values.kind ?? "unknown",
    daysUntilExpiration: values.days_until_expiration,
    expiresAt: values.expire_at,
  };
}

/**
 * Reads the instance's user statistics; null when the endpoint is absent (logged).
 *
 * @example const stats = await fetchServerStats({ client, hostname, meter, logger });
 */
export async function fetchServerStats({
  client,
  hostname,
  meter,
  logger,
}: SiteAdminReadOptions): Promise<ServerStats | null> {
  const route = "GET /enterprise/stats/users";
  const data = await optionalEndpoint(() => client.request(route, { request: meter.tag() }), hostname, route);
  if (data === null) {
    logger.warn({ hostname, route }, "GHES has no user statistics endpoint");
    return null;
  }
  const stats = parseOrSkip(statsSchema, data, { hostname, logger }, route);
  if (stats === null) return null;
  return { totalUsers: stats.total_users, adminUsers: stats.admin_users, suspendedUsers: stats.suspended_users };
}
