import { DEFAULT_REPOSITORY_CONFIG, type RepositoryConfig } from "../config/index.js";
import { type ConfigLocation, readRepositoryConfig } from "../pipeline/index.js";
import { type InputError, isInputError } from "../shared/index.js";
import type { Logger } from "probot";
import { adminRepository } from "./admin-repository.js";
import type { AppServices, GitHub } from "./services.js";

/** The weekly schedule the queue's job scheduler takes. */
export type Schedule = RepositoryConfig["schedule"];

/** The schedule to use, and the config problem that forced the default, if any. */
export interface ScheduleReading {
  schedule: Schedule;
  /** The whole config, when it is valid. */
  config?: RepositoryConfig;
  /** Set when `.github/license-sync.yml` is invalid; `schedule` is then the default. */
  error?: InputError;
}

/**
 * Reads the schedule from `.github/license-sync.yml`. An invalid file does not throw: the caller
 * decides between the default (a new installation must get a weekly run) and keeping the current
 * scheduler (a bad push must not silently move a working schedule). GitHub errors still throw so
 * the delivery fails and can be redelivered.
 *
 * @example
 *   const { schedule, error } = await readSchedule(context.octokit, { owner: "acme", repo: "license-admin" });
 *   await queue.upsertSchedule("acme", schedule, installationId);
 */
export async function readSchedule(octokit: GitHub, location: ConfigLocation): Promise<ScheduleReading> {
  try {
    const config = await readRepositoryConfig(octokit, location);
    return { schedule: config.schedule, config };
  } catch (error) {
    if (!isInputError(error)) throw error;
    return { schedule: DEFAULT_REPOSITORY_CONFIG.schedule, error };
  }
}

/**
 * Upserts the enterprise's weekly job scheduler from the admin repository's config, when an
 * installation starts to reach that repository. An invalid file cannot be answered on an issue
 * here (there is none): it is logged at error level and the default schedule is used, so the
 * enterprise still gets its weekly run.
 *
 * @example
 *   const schedule = await upsertScheduleFromConfig(context.octokit, services, log, installationId);
 */
export async function upsertScheduleFromConfig(
  octokit: GitHub,
  services: Pick<AppServices, "deployment" | "queue">,
  log: Pick<Logger, "error">,
  installationId: number,
): Promise<Schedule> {
  const { schedule, error } = await readSchedule(octokit, adminRepository(services.deployment));
  if (error)
    log.error(
      { installationId, key: error.where, problem: error.problem },
      `${error.message} Using the default schedule.`,
    );
  await services.queue.upsertSchedule(services.deployment.enterprise, schedule, installationId);
  return schedule;
}
