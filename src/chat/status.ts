import type { RepositoryConfig, WebDeploymentConfig } from "../config/index.js";
import type { RunSummary, ScheduledRun } from "../jobs/index.js";
import { cell, type CellValue, code, mdTable, trusted } from "../shared/index.js";

/** What `/license-sync status` reports. Nothing secret: hostnames, never URLs or tokens. */
export interface StatusFacts {
  enterprise: string;
  /** Newest first. */
  runs: RunSummary[];
  /** The job scheduler in effect (what will really run), null when there is none. */
  scheduled: ScheduledRun | null;
  /** The schedule `.github/license-sync.yml` asks for on the default branch. */
  schedule: RepositoryConfig["schedule"];
  servers: WebDeploymentConfig["servers"];
}

/** `2026-12-07T06:00:00.000Z` -> `2026-12-07 06:00 UTC`; unparsable values pass through. */
export function formatTime(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return typeof value === "string" ? value : null;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The last column: the summary issue, or why the run failed (shortened: it is a table cell). */
function outcome(run: RunSummary): CellValue {
  if (run.state === "failed") return run.failedReason ? `failed: ${run.failedReason.slice(0, 200)}` : "failed";
  // GitHub's own URL of the summary issue: a link the app wrote, not data.
  return run.summaryIssueUrl ? trusted(run.summaryIssueUrl) : null;
}

/**
 * The next run as the scheduler will really start it. When the scheduler's cron is not the
 * configured one (a push whose schedule could not be applied), both are named, the scheduler's
 * as the one in effect.
 */
function nextRunText({ scheduled, schedule }: Pick<StatusFacts, "scheduled" | "schedule">): string {
  const configured = `cron ${code(schedule.cron)}, ${cell(schedule.timezone)}`;
  if (!scheduled)
    return `No scheduled run is queued (configured ${configured}). Reinstalling the App on the admin repository, or pushing \`.github/license-sync.yml\`, creates it.`;
  const inEffect = `cron ${code(scheduled.cron)}, ${cell(scheduled.timezone)}`;
  const text = `Next scheduled run: **${formatTime(scheduled.next)}** (${inEffect}).`;
  if (inEffect === configured) return text;
  return `${text} \`.github/license-sync.yml\` asks for ${configured}, which the scheduler has not taken yet: push the file to the default branch again to apply it.`;
}

/**
 * The reply to `/license-sync status`: recent runs, the next scheduled run, and the configured
 * instances with how each is read.
 *
 * @example
 *   statusReply({ enterprise: "acme", runs, nextRun: new Date("2026-12-07T06:00:00Z"), schedule, servers })
 *   // "**license-sync status** for enterprise `acme`\n\nNext scheduled run: 2026-12-07 06:00 UTC ..."
 */
export function statusReply(facts: StatusFacts): string {
  const next = nextRunText(facts);
  const runs = facts.runs.length
    ? mdTable(
        ["Run", "Trigger", "State", "Requested by", "Started", "Finished", "Unique users", "Outcome"],
        facts.runs.map((run) => [
          trusted(code(run.runId)),
          run.trigger,
          run.state,
          run.requestedBy ? `@${run.requestedBy}` : null,
          formatTime(run.startedAt),
          formatTime(run.finishedAt),
          run.uniqueUsers ?? null,
          outcome(run),
        ]),
        ["l", "l", "l", "l", "l", "l", "r", "l"],
      )
    : "No runs yet. `/license-sync now` starts one.";
  const instances = facts.servers.length
    ? facts.servers
        .map(
          (server) =>
            `- ${code(server.hostname)}: ${server.usageFile ? `usage file ${code(server.usageFile)}` : "API"}`,
        )
        .join("\n")
    : "- none configured (only GitHub Enterprise Cloud is read)";
  return [
    `**license-sync status** for enterprise \`${facts.enterprise}\``,
    "",
    next,
    "",
    "**Recent runs**",
    "",
    runs,
    "",
    "**Instances**",
    "",
    instances,
  ].join("\n");
}
