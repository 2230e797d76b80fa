import { z } from "zod";
import { cronProblem } from "./cron.js";

/**
 * A GitHub login as GitHub allows them (letters, digits, single hyphens, at most 39), or an App's
 * bot (`name[bot]`). Anything else cannot command, and is never shown in a reply.
 */
export const githubLogin = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/, "expected a GitHub login, e.g. mona");

/**
 * `.github/license-sync.yml` in the admin repository: policy only. It can never name a host or a
 * secret (those live in the deployment config), so a repository writer cannot redirect the app.
 */
export const repositoryConfigSchema = z.strictObject({
  /** When the weekly run happens. */
  schedule: z
    .strictObject({
      /** Cron expression (5 fields), at most hourly. Default: Mondays 06:00. */
      cron: z
        .string()
        .trim()
        .superRefine((cron, ctx) => {
          const problem = cronProblem(cron);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        // The shape again, for editors reading the JSON schema (the refinement above explains).
        .regex(/^\d{1,2}(\s+\S+){4}$/, 'expected a 5-field cron expression with one minute, e.g. "0 6 * * 1"')
        .default("0 6 * * 1"),
      /** IANA time zone of the cron expression. */
      timezone: z
        .string()
        .default("UTC")
        .refine((tz) => {
          try {
            new Intl.DateTimeFormat("en-US", { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        }, "expected an IANA time zone, e.g. Europe/Berlin"),
    })
    .prefault({}),
  /** Divergence thresholds. */
  thresholds: z
    .strictObject({
      /** Utilization (0..1) at or above which `near-limit` opens. */
      utilizationWarning: z.number().gt(0).max(1).default(0.9),
      /** `stale-sync` when an instance's last sync is older than this many days. */
      staleSyncDays: z.int().min(1).default(8),
      /** Tolerated difference between this run's unique users and GitHub's consumed seats. */
      uniqueCountTolerance: z.int().min(0).default(0),
      /** Tolerated difference between an instance's billable accounts and GitHub's rows for it. */
      serverCountTolerance: z.int().min(0).default(0),
      /** `license-expiring` when a GHES license expires within this many days. */
      licenseExpiryDays: z.int().min(1).default(30),
    })
    .prefault({}),
  /** Labels of the issues the app posts; created when missing. */
  labels: z
    .strictObject({
      /** Weekly summary issues. */
      summary: z.string().min(1).default("license-sync"),
      /** Divergence issues. */
      divergence: z.string().min(1).default("license-sync:divergence"),
    })
    .prefault({}),
  /** Logins assigned to divergence issues. */
  assignees: z.array(z.string().min(1)).max(10).default([]),
  /**
   * Who may run `/license-sync` commands, narrowed: repository writers edit this file, so it can
   * only take people away from what the deployment config allows (repository admins, plus its
   * `commands.team` and `commands.users`), never add anyone.
   */
  commands: z
    .strictObject({
      /** Repository admins may run commands unless this is false. */
      allowRepositoryAdmins: z.boolean().default(true),
      /** When set, only these logins may run commands, and each must still be allowed otherwise. */
      restrictTo: z.array(githubLogin).max(100).optional(),
      /** No longer honoured (it let writers widen who may command); accepted so older files validate, reported as ignored. The deployment config's `commands.team` replaces it. */
      team: z.string().min(1).optional(),
    })
    .prefault({}),
  /** How emails appear in issues: `masked` (a***@corp.example) or `hidden` (not at all). Never in clear. */
  emails: z.enum(["masked", "hidden"]).default("masked"),
  /** Usage history under `license-usage/history/`. */
  history: z
    .strictObject({
      /** Commit an aggregate snapshot after each run. */
      enabled: z.boolean().default(true),
      /** Weeks shown in the summary's trend chart. */
      weeks: z.int().min(2).max(104).default(12),
    })
    .prefault({}),
});
export type RepositoryConfig = z.output<typeof repositoryConfigSchema>;

/** The defaults, as a run without `.github/license-sync.yml` uses them. */
export const DEFAULT_REPOSITORY_CONFIG: RepositoryConfig = repositoryConfigSchema.parse({});
