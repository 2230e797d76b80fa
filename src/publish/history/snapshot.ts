import { z } from "zod";
import { removeEmails } from "../../privacy/index.js";
import { MATCH_RULES, type RunRecord, UNMERGED_REASONS } from "../../shared/index.js";
import { divergenceSummary } from "../divergences/sentences.js";
import { isoWeek } from "../iso-week.js";
import { seatSources } from "../render/seat-sources.js";

const count = z.int().min(0);
const counts = <K extends string>(keys: readonly K[]) =>
  z.looseObject(Object.fromEntries(keys.map((k) => [k, count])) as Record<K, typeof count>);

/**
 * History snapshot, format version 1: aggregates only, never an email (not even masked). Read
 * back leniently (unknown keys pass) so later versions that only add keys stay readable.
 */
export const historySnapshotSchema = z.looseObject({
  version: z.literal(1),
  runId: z.string(),
  enterprise: z.string(),
  trigger: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** ISO week of the run, `2026-W48`. */
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  totals: z.looseObject({
    seatsPurchased: count.nullable(),
    seatsConsumedReported: count,
    cloudUsers: count,
    serverOnlyUsers: count,
    uniqueUsers: count,
    replacedCloudRows: count,
  }),
  matchedBy: counts(MATCH_RULES),
  reasons: counts(UNMERGED_REASONS),
  seatSources: z.looseObject({ cloudOnly: count, serverOnly: count, both: count }),
  instances: z.array(
    z.looseObject({
      hostname: z.string(),
      source: z.string().nullable(),
      collectedAt: z.string().nullable(),
      accounts: count,
      billableAccounts: count,
      persons: count,
      matchedToCloud: count,
      serverOnly: count,
      lastSync: z.string().nullable(),
      syncStatus: z.string().nullable(),
      license: z
        .looseObject({
          seats: z.union([count, z.literal("unlimited")]),
          seatsUsed: count,
          expiresAt: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
  divergences: z.array(
    z.looseObject({
      kind: z.string(),
      subject: z.string().optional(),
      severity: z.string(),
      summary: z.string(),
      figures: z.record(z.string(), z.union([z.number(), z.string()])),
      issue: z.int().nullable().optional(),
    }),
  ),
  totalsChangedMidRun: z.boolean(),
  /** Path of the per-person CSV committed with this snapshot, when the summary was cut. */
  peopleCsv: z.string().nullable(),
});
export type HistorySnapshot = z.output<typeof historySnapshotSchema>;

/**
 * The aggregate snapshot of one run. Free text GitHub wrote (sync errors) goes through
 * `removeEmails`; every other value is a count, a hostname, a date or our own wording.
 *
 * @example const snapshot = buildSnapshot(record, { at, issues: { "over-consumed": 12 }, peopleCsv: null });
 */
export function buildSnapshot(
  record: RunRecord,
  options: { at: Date; issues?: Record<string, number | null>; peopleCsv: string | null },
): HistorySnapshot {
  const { report } = record;
  const instance = (hostname: string) => record.instances.find((i) => i.hostname === hostname);
  const sync = (hostname: string) => record.syncStatus.find((s) => s.hostname.toLowerCase() === hostname.toLowerCase());
  const pick = <K extends string>(keys: readonly K[], from: Record<K, number>) =>
    Object.fromEntries(keys.map((k) => [k, from[k]])) as Record<K, number>;
  return {
    version: 1,
    runId: record.runId,
    enterprise: record.enterprise,
    trigger: record.trigger,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    week: isoWeek(options.at).label,
    totals: {
      seatsPurchased: report.totals.seatsPurchased,
      seatsConsumedReported: report.totals.seatsConsumedReported,
      cloudUsers: report.totals.cloudUsers,
      serverOnlyUsers: report.totals.serverOnlyUsers,
      uniqueUsers: report.totals.uniqueUsers,
      replacedCloudRows: report.totals.replacedCloudRows,
    },
    matchedBy: pick(MATCH_RULES, report.totals.matchedBy),
    reasons: pick(UNMERGED_REASONS, report.reasons),
    seatSources: { ...seatSources(report) },
    instances: report.servers.map((s) => {
      const facts = instance(s.hostname);
      const status = sync(s.hostname);
      return {
        hostname: s.hostname,
        source: facts?.source ?? null,
        collectedAt: facts?.collectedAt ?? null,
        accounts: s.accounts,
        billableAccounts: s.billableAccounts,
        persons: s.persons,
        matchedToCloud: s.matchedToCloud,
        serverOnly: s.serverOnly,
        lastSync: status?.lastSyncAt ?? null,
        syncStatus: status ? (status.reportedStatus ?? status.status) : null,
        license: facts?.license
          ? { seats: facts.license.seats, seatsUsed: facts.license.seatsUsed, expiresAt: facts.license.expiresAt }
          : null,
      };
    }),
    divergences: report.divergences.map((d) => ({
      kind: d.kind,
      ...(d.subject ? { subject: d.subject } : {}),
      severity: d.severity,
      summary: removeEmails(divergenceSummary(d)),
      figures: Object.fromEntries(
        Object.entries(d.figures).map(([k, v]) => [k, typeof v === "string" ? removeEmails(v) : v]),
      ),
      issue: options.issues?.[d.subject ? `${d.kind}/${d.subject}` : d.kind] ?? null,
    })),
    totalsChangedMidRun: record.totalsChangedMidRun,
    peopleCsv: options.peopleCsv,
  };
}
