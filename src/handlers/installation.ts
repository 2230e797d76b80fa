import type { Context } from "probot";
import { adminRepository, isAdminRepository, ownsAdminRepository } from "./admin-repository.js";
import { upsertScheduleFromConfig } from "./schedule.js";
import { handlerLog, type AppServices, type GitHub } from "./services.js";
import { httpStatusOf } from "../github/index.js";

type InstallationContext = Context<"installation">;
type InstallationPayload = InstallationContext["payload"];

/**
 * Whether an installation reaches the admin repository: it must be on the owning account and
 * either cover all repositories or list the admin repository. `unknown` when the payload does not
 * say (`new_permissions_accepted` carries no repository list).
 */
function coverage(payload: InstallationPayload, services: AppServices): boolean | "unknown" {
  const account = payload.installation.account;
  const login = account && "login" in account ? account.login : undefined;
  if (!ownsAdminRepository(login, services.deployment)) return false;
  if (payload.installation.repository_selection === "all") return true;
  if (!payload.repositories) return "unknown";
  return payload.repositories.some((repository) => isAdminRepository(repository.full_name, services.deployment));
}

/** Asks GitHub whether the installation token can see the admin repository. */
async function canSeeAdminRepository(octokit: GitHub, services: AppServices): Promise<boolean> {
  try {
    const { owner, repo } = adminRepository(services.deployment);
    await octokit.rest.repos.get({ owner, repo });
    return true;
  } catch (error) {
    if (httpStatusOf(error) === 404) return false;
    throw error;
  }
}

/**
 * `installation.created`, `.new_permissions_accepted`, `.unsuspend`: when the installation covers
 * the admin repository, upsert the enterprise's weekly job scheduler from
 * `.github/license-sync.yml`. An invalid file cannot be answered on an issue here (there is none):
 * it is logged and the default schedule is used, so the enterprise still gets its weekly run; the
 * first `/license-sync` command or push then names the key to fix.
 *
 * @example
 *   app.on(["installation.created", "installation.new_permissions_accepted", "installation.unsuspend"], onInstallationAvailable(services));
 */
export function onInstallationAvailable(services: AppServices) {
  return async (context: InstallationContext): Promise<void> => {
    const log = handlerLog(context, services, "installation");
    const installationId = context.payload.installation.id;
    let covered = coverage(context.payload, services);
    if (covered === "unknown") covered = await canSeeAdminRepository(context.octokit, services);
    if (!covered) {
      log.debug({ installationId }, "installation does not cover the admin repository; nothing to schedule");
      return;
    }
    const schedule = await upsertScheduleFromConfig(context.octokit, services, log, installationId);
    log.info({ installationId, cron: schedule.cron, timezone: schedule.timezone }, "weekly schedule upserted");
  };
}

/**
 * `installation.deleted`, `.suspend`: an account has at most one installation of the App, so when
 * the owner of the admin repository loses it, no scheduled run could post anything: remove the
 * scheduler. No GitHub call: the installation's token is already gone.
 *
 * @example
 *   app.on(["installation.deleted", "installation.suspend"], onInstallationGone(services));
 */
export function onInstallationGone(services: AppServices) {
  return async (context: InstallationContext): Promise<void> => {
    const log = handlerLog(context, services, "installation");
    const account = context.payload.installation.account;
    const login = account && "login" in account ? account.login : undefined;
    if (!ownsAdminRepository(login, services.deployment)) return;
    await services.queue.removeSchedule(services.deployment.enterprise);
    log.info(
      { installationId: context.payload.installation.id, action: context.payload.action },
      "weekly schedule removed",
    );
  };
}
