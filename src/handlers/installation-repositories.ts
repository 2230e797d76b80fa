import type { Context } from "probot";
import { isAdminRepository } from "./admin-repository.js";
import { upsertScheduleFromConfig } from "./schedule.js";
import { handlerLog, type AppServices } from "./services.js";

type RepositoriesContext = Context<"installation_repositories">;

/**
 * `installation_repositories.added` / `.removed`: the organization changed which repositories the
 * App may reach. Adding the admin repository starts the weekly schedule (read from its
 * `.github/license-sync.yml`, default on an invalid file, as for a new installation); removing it
 * stops the schedule, since runs could no longer publish.
 *
 * @example
 *   app.on(["installation_repositories.added", "installation_repositories.removed"], onInstallationRepositories(services));
 */
export function onInstallationRepositories(services: AppServices) {
  return async (context: RepositoriesContext): Promise<void> => {
    const log = handlerLog(context, services, "installation-repositories");
    const { payload } = context;
    const installationId = payload.installation.id;
    const touches = (list: ReadonlyArray<{ full_name: string }> | undefined) =>
      (list ?? []).some((r) => isAdminRepository(r.full_name, services.deployment));

    if (payload.action === "removed" && touches(payload.repositories_removed)) {
      await services.queue.removeSchedule(services.deployment.enterprise);
      log.info({ installationId }, "admin repository removed from the installation; weekly schedule removed");
      return;
    }
    if (payload.action === "added" && touches(payload.repositories_added)) {
      const schedule = await upsertScheduleFromConfig(context.octokit, services, log, installationId);
      log.info(
        { installationId, cron: schedule.cron, timezone: schedule.timezone },
        "admin repository added; weekly schedule upserted",
      );
    }
  };
}
