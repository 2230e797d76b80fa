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

// Each key's description is written once, in `.meta()`: the JSON Schema (json-schema.ts) and the
// table of docs/configuration.md (reference-table.ts) are generated from it. The TSDoc above each
// key says the same, shorter, for readers of the code.
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
        .default("0 6 * * 1")
        .meta({
          description:
            "5-field cron expression of the scheduled run, in `timezone`. **At most hourly**: the minute must be one number (`0 * * * *` is the most frequent schedule accepted; `* * * * *`, `*/5 …` or `0,30 …` are refused), since every run reads every instance's full user report. Checked with the same parser the scheduler uses: an invalid expression is reported on the pushed commit like any other key, and the schedule in effect stays.",
        }),
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
        }, "expected an IANA time zone, e.g. Europe/Berlin")
        .meta({ description: "IANA time zone of `cron`, e.g. `Europe/Berlin` (daylight saving followed)." }),
    })
    .prefault({})
    .meta({ description: "When the weekly run happens." }),
  /** Divergence thresholds. */
  thresholds: z
    .strictObject({
      /** Utilization (0..1) at or above which `near-limit` opens. */
      utilizationWarning: z.number().gt(0).max(1).default(0.9).meta({
        description: "Consumed / purchased seats at or above which the `near-limit` issue opens (0 < x ≤ 1).",
      }),
      /** `stale-sync` when an instance's last sync is older than this many days. */
      staleSyncDays: z.int().min(1).default(8).meta({
        description:
          "`stale-sync` opens when an instance's last GitHub license sync is older than this many days (weekly sync + a day).",
      }),
      /** Tolerated difference between this run's unique users and GitHub's consumed seats. */
      uniqueCountTolerance: z.int().min(0).default(0).meta({
        description:
          "Tolerated difference between this run's unique users and GitHub's consumed seats before `unique-count-mismatch` opens.",
      }),
      /** Tolerated difference between an instance's billable accounts and GitHub's rows for it. */
      serverCountTolerance: z.int().min(0).default(0).meta({
        description:
          "Tolerated difference between an instance's billable accounts and GitHub's rows for it before `server-count-mismatch` opens.",
      }),
      /** `license-expiring` when a GHES license expires within this many days. */
      licenseExpiryDays: z
        .int()
        .min(1)
        .default(30)
        .meta({ description: "`license-expiring` opens when a GHES license expires within this many days." }),
    })
    .prefault({})
    .meta({ description: "When divergence issues open." }),
  /** Labels of the issues the app posts; created when missing. */
  labels: z
    .strictObject({
      /** Weekly summary issues. */
      summary: z
        .string()
        .min(1)
        .default("license-sync")
        .meta({ description: "Label of the weekly summary issues (created when missing)." }),
      /** Divergence issues. */
      divergence: z
        .string()
        .min(1)
        .default("license-sync:divergence")
        .meta({ description: "Label of divergence issues (created when missing)." }),
    })
    .prefault({})
    .meta({ description: "Labels of the issues the app posts; created when missing." }),
  /** Logins assigned to divergence issues. */
  assignees: z
    .array(z.string().min(1))
    .max(10)
    .default([])
    .meta({ description: "Up to 10 logins assigned to divergence issues." }),
  /**
   * Who may run `/license-sync` commands, narrowed: repository writers edit this file, so it can
   * only take people away from what the deployment config allows (repository admins, plus its
   * `commands.team` and `commands.users`), never add anyone.
   */
  commands: z
    .strictObject({
      /** Repository admins may run commands unless this is false. */
      allowRepositoryAdmins: z.boolean().default(true).meta({
        description:
          "Administrators of the admin repository may run `/license-sync` commands (write or maintain access is not enough); `false` takes them away.",
      }),
      /** When set, only these logins may run commands, and each must still be allowed otherwise. */
      restrictTo: z.array(githubLogin).max(100).optional().meta({
        description:
          "When set, only these logins may run commands, and each must still be allowed: an administrator, or named in the deployment config's `commands`.",
      }),
      /** No longer honoured (it let writers widen who may command); accepted so older files validate, reported as ignored. The deployment config's `commands.team` replaces it. */
      team: z.string().min(1).optional().meta({
        description:
          "**No longer honoured**: repository writers could let their own team in. Still accepted, so older files validate; a push that sets it is answered on the commit that the key is ignored. Move the team to the deployment config's `commands.team`.",
      }),
    })
    .prefault({})
    .meta({
      description:
        "Narrows who may run `/license-sync` commands; widening (a team, named users) is the deployment config's `commands`.",
    }),
  /** How emails appear in issues: `masked` (a***@corp.example) or `hidden` (not at all). Never in clear. */
  emails: z
    .enum(["masked", "hidden"])
    .default("masked")
    .meta({ description: "How emails appear in issues: `masked` (`a***@corp.example`) or `hidden`. Never in clear." }),
  /** Usage history under `license-usage/history/`. */
  history: z
    .strictObject({
      /** Commit an aggregate snapshot after each run. */
      enabled: z.boolean().default(true).meta({
        description: "Commit an aggregate snapshot (counts, no emails) under `license-usage/history/` after each run.",
      }),
      /** Weeks shown in the summary's trend chart. */
      weeks: z.int().min(2).max(104).default(12).meta({ description: "Weeks in the summary's trend chart." }),
    })
    .prefault({})
    .meta({ description: "Usage history committed under `license-usage/history/`." }),
});
export type RepositoryConfig = z.output<typeof repositoryConfigSchema>;

/** The defaults, as a run without `.github/license-sync.yml` uses them. */
export const DEFAULT_REPOSITORY_CONFIG: RepositoryConfig = repositoryConfigSchema.parse({});
