import type { RunTrigger } from "../../shared/index.js";

/** What a handler asks the queue for. Carries no email and no secret. */
export interface RunRequest {
  enterprise: string;
  trigger: RunTrigger;
  /** Login of the commenter or pusher, for the reply and the logs. */
  requestedBy?: string;
  /** Where to reply when the run finishes (`/license-sync now`). */
  reply?: { owner: string; repo: string; issueNumber: number; installationId: number };
  /** Compute and reply with what would be posted; change nothing. */
  dryRun?: boolean;
  /** Usage files (paths in the admin repository at `ref`) a push added or changed. */
  usageFiles?: { ref: string; paths: string[] };
  /** GitHub's delivery id of the webhook that asked, for the logs. */
  deliveryId?: string;
}

/** The queue's answer to a request. */
export interface EnqueueResult {
  runId: string;
  /** True when an identical pending run absorbed this request (burst of commands). */
  deduplicated: boolean;
}

/** A past or running run, for `/license-sync status`. */
export interface RunSummary {
  runId: string;
  trigger: RunTrigger;
  state: "waiting" | "active" | "completed" | "failed" | "delayed" | "unknown";
  requestedBy?: string;
  startedAt?: string;
  finishedAt?: string;
  uniqueUsers?: number;
  summaryIssueUrl?: string;
  failedReason?: string;
}

/** The job scheduler in effect: what will really run next, whatever the config says now. */
export interface ScheduledRun {
  next: Date;
  cron: string;
  timezone: string;
}

/**
 * The queue as handlers see it (implemented in src/jobs on BullMQ). Handlers only call this:
 * they never collect or publish themselves.
 */
export interface RunQueue {
  enqueueRun(request: RunRequest): Promise<EnqueueResult>;
  /** Create or update the enterprise's weekly job scheduler; idempotent. */
  upsertSchedule(
    enterprise: string,
    schedule: { cron: string; timezone: string },
    installationId: number,
  ): Promise<void>;
  removeSchedule(enterprise: string): Promise<void>;
  /** Newest first. */
  recentRuns(enterprise: string, limit: number): Promise<RunSummary[]>;
  nextScheduledRun(enterprise: string): Promise<Date | null>;
  /** The enterprise's job scheduler as it stands (its cron may lag the config); null when there is none. */
  scheduledRun(enterprise: string): Promise<ScheduledRun | null>;
}
