import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import { repositoryConfigSchema } from "../../config/index.js";

const trigger = z.enum(["schedule", "command", "push", "cli"]);

/** `RunRequest` (types.ts) as it travels through Redis: checked again when a job reads it. */
export const runRequestSchema = z.object({
  enterprise: z.string().min(1),
  trigger,
  requestedBy: z.string().optional(),
  reply: z
    .object({
      owner: z.string(),
      repo: z.string(),
      issueNumber: z.int().positive(),
      installationId: z.int().positive(),
    })
    .optional(),
  dryRun: z.boolean().optional(),
  usageFiles: z.object({ ref: z.string(), paths: z.array(z.string()) }).optional(),
  deliveryId: z.string().optional(),
});

/** `start-run`: a request waiting for its turn. Scheduler jobs carry no run id (it derives from the job id). */
export const startRunDataSchema = runRequestSchema.extend({
  runId: z.string().optional(),
  /** The installation that scheduled the run (weekly scheduler). */
  installationId: z.int().positive().optional(),
});
export type StartRunData = z.infer<typeof startRunDataSchema>;

/** What every job of one run knows about the run: enough to log, reply and publish. No email, no secret. */
export const runInfoSchema = runRequestSchema.extend({
  runId: z.string().min(1),
  /** ISO 8601, when the flow was added. */
  startedAt: z.string(),
  installationId: z.int().positive().optional(),
  /** Degraded features found when the run started (token scopes), shown in the summary. */
  warnings: z.array(z.string()).optional(),
});
export type RunInfo = z.infer<typeof runInfoSchema>;

export const collectServerDataSchema = z.object({ run: runInfoSchema, hostname: z.string().min(1) });
export type CollectServerData = z.infer<typeof collectServerDataSchema>;

/**
 * Whether the run's flow has a `collect-identities` job. Flows added by versions before it have
 * none (they may still be waiting in Redis across an upgrade): their `collect-cloud` reads the
 * identities itself, and their parent finds them in the cloud collection.
 */
const identitiesJob = z.boolean().optional();

/** `collect-cloud` and `collect-identities`. */
export const collectCloudDataSchema = z.object({ run: runInfoSchema, identitiesJob });
export type CollectCloudData = z.infer<typeof collectCloudDataSchema>;

export const reconcileDataSchema = z.object({ run: runInfoSchema, repoConfig: repositoryConfigSchema, identitiesJob });
export type ReconcileData = z.infer<typeof reconcileDataSchema>;

/** What a collect job returns: where its collection is, not the collection (no emails in job results). */
export const storedCollectionSchema = z.object({
  kind: z.enum(["server", "cloud", "identities"]),
  key: z.string().min(1),
  hostname: z.string().optional(),
  records: z.int().min(0),
});
export type StoredCollection = z.infer<typeof storedCollectionSchema>;

/** What `reconcile-publish` returns; `/license-sync status` reads it back. */
export interface RunResult {
  runId: string;
  uniqueUsers: number;
  summaryIssueUrl: string | null;
  summaryIssueNumber: number | null;
  dryRun: boolean;
  finishedAt: string;
}

/**
 * Parses job data with a message that names the job; bad data is a bug or a foreign producer,
 * never worth a retry.
 */
export function parseJobData<T>(schema: z.ZodType<T>, data: unknown, jobName: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new UnrecoverableError(
      `${jobName}: invalid job data (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? "?"})`,
    );
  return parsed.data;
}
