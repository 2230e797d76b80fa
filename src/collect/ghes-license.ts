import { z } from "zod";
import { InputError } from "../errors.js";
import type { GitHubClient } from "../github/client.js";
import type { Log } from "../github/logger.js";
import type { RequestMeter } from "../github/request-meter.js";
import { issuePath } from "./readers/zod-issue.js";
import { optionalEndpoint } from "./ghes-access.js";
import type { ServerLicense, ServerStats } from "./types.js";

/** `2016/02/06 12:41:52 -0600`, the format older GHES releases (and GitHub's example) use. */
const SLASHED_DATE = /^(\d{4})\/(\d{2})\/(\d{2})[ T](\d{2}):(\d{2}):(\d{2})\s*([+-]\d{2}):?(\d{2})$/;
/** ISO 8601 date or date-time, with `Z`, `+hh:mm` or `+hhmm`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * GHES writes `expire_at` in two formats; both become an ISO 8601 UTC string. Null for anything else.
 *
 * @example parseExpireAt("2016/02/06 12:41:52 -0600") // "2016-02-06T18:41:52.000Z"
 */
export function parseExpireAt(value: string): string | null {
  const text = value.trim();
  const slashed = SLASHED_DATE.exec(text);
  let candidate: string | null = null;
  if (slashed) {
    const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = slashed;
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

/** `GET /enterprise/settings/license`. */
export const licenseSchema = z.looseObject({
  seats,
  seats_used: count,
  seats_available: seats,
  kind: z.string().nullish().transform((value) => value ?? "unknown"),
  days_until_expiration: z.number().int().nullish().transform((value) => value ?? null),
  expire_at: z
    .string()
    .nullish()
    .transform((value, ctx) => {
      if (value === null || value === undefined || value.trim() === "") return null;
      const parsed = parseExpireAt(value);
      if (parsed === null) ctx.addIssue({ code: "custom", message: `expected a date, got ${JSON.stringify(value)}` });
      return parsed;
    }),
});

/** `GET /enterprise/stats/users`. */
export const statsSchema = z.looseObject({ total_users: count, admin_users: count, suspended_users: count });

function parse<S extends z.ZodType>(schema: S, data: unknown, hostname: string, what: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InputError(`GHES ${hostname}`, issuePath(what, issue), `unexpected answer: ${issue.message}`,
    "Check that servers[].url points at a GitHub Enterprise Server; report it if it does.");
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
export async function fetchServerLicense({ client, hostname, meter, logger }: SiteAdminReadOptions): Promise<ServerLicense | null> {
  const route = "GET /enterprise/settings/license";
  const data = await optionalEndpoint(() => client.request(route, { request: meter.tag() }), hostname, route);
  if (data === null) {
    logger.warn({ hostname, route }, "GHES has no license endpoint; seat figures will be missing");
    return null;
  }
  const license = parse(licenseSchema, data, hostname, route);
  return {
    seats: license.seats,
    seatsUsed: license.seats_used,
    seatsAvailable: license.seats_available,
    kind: license.kind,
    daysUntilExpiration: license.days_until_expiration,
    expiresAt: license.expire_at,
  };
}

/**
 * Reads the instance's user statistics; null when the endpoint is absent (logged).
 *
 * @example const stats = await fetchServerStats({ client, hostname, meter, logger });
 */
export async function fetchServerStats({ client, hostname, meter, logger }: SiteAdminReadOptions): Promise<ServerStats | null> {
  const route = "GET /enterprise/stats/users";
  const data = await optionalEndpoint(() => client.request(route, { request: meter.tag() }), hostname, route);
  if (data === null) {
    logger.warn({ hostname, route }, "GHES has no user statistics endpoint");
    return null;
  }
  const stats = parse(statsSchema, data, hostname, route);
  return { totalUsers: stats.total_users, adminUsers: stats.admin_users, suspendedUsers: stats.suspended_users };
}
