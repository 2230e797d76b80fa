import { randomBytes } from "node:crypto";

/**
 * A new run id: enterprise, UTC time, random suffix (`acme-20261123T120000Z-k3f9q`). Sortable by
 * time within an enterprise, readable in issue comments and logs, and free of `:` (BullMQ
 * refuses custom job ids with it).
 *
 * @example newRunId("acme", new Date("2026-11-23T12:00:00Z")) // "acme-20261123T120000Z-…"
 */
export function newRunId(enterprise: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${enterprise}-${stamp}-${randomBytes(4)
    .toString("base64url")
    .slice(0, 5)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
}

/**
 * The run id of a job the weekly scheduler produced (`repeat:weekly-acme:1796014800000`):
 * derived from its id, so a retried or stalled start job keeps the same run.
 *
 * @example runIdOfScheduledJob("acme", "repeat:weekly-acme:1796014800000") // "acme-20261123T050000Z-weekly"
 */
export function runIdOfScheduledJob(enterprise: string, jobId: string): string {
  const millis = Number(jobId.split(":").at(-1));
  const when = Number.isFinite(millis) && millis > 0 ? new Date(millis) : new Date();
  return `${enterprise}-${when
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-weekly`;
}
