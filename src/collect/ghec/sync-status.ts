import { z } from "zod";
import { type GitHubClient, RequestMeter } from "../../github/index.js";
import { InputError, type Log, type SyncStatus } from "../../shared/index.js";
import { cloudFailure } from "./access.js";
import { issuePath } from "../readers/zod-issue.js";

const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value ?? "").trim() || null);

/** `GET /enterprises/{enterprise}/license-sync-status`; unknown keys pass. */
export const syncStatusSchema = z.looseObject({
  server_instances: z
    .array(
      z.looseObject({
        server_id: z.union([z.string(), z.number()]).transform(String),
        hostname: z.string().transform((value) => value.trim().toLowerCase()),
        last_sync: z.looseObject({ date: optionalText, status: optionalText, error: optionalText }).nullish(),
      }),
    )
    .nullish()
    .transform((value) => value ?? []),
});

function isoOrNull(date: string | null): string | null {
  const time = date === null ? Number.NaN : Date.parse(date);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export interface CollectSyncStatusOptions {
  client: GitHubClient;
  enterprise: string;
  logger: Log;
  /** Counts the request, for callers that report totals (`collectGhec`). */
  meter?: RequestMeter;
}

/**
 * Reads what GHEC last heard from each GHES instance. Only `success` is documented as a status,
 * so anything else (or no sync at all) is a failure, with GitHub's error text kept.
 *
 * @example const statuses = await collectSyncStatus({ client, enterprise: "acme", logger });
 */
export async function collectSyncStatus(options: CollectSyncStatusOptions): Promise<SyncStatus[]> {
  const { client, enterprise, logger, meter = new RequestMeter() } = options;
  const source = `GET /enterprises/${enterprise}/license-sync-status`;
  let data: unknown;
  try {
    ({ data } = await client.request("GET /enterprises/{enterprise}/license-sync-status", {
      enterprise,
      request: meter.tag(),
    }));
  } catch (error) {
    throw cloudFailure(error, enterprise, source);
  }
  const parsed = syncStatusSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      source,
      issuePath("", issue).replace(/^\./, ""),
      issue.message,
      "GitHub answered with data this version cannot read: update license-sync or report it.",
    );
  }
  const statuses = parsed.data.server_instances.map((instance): SyncStatus => {
    const reported = instance.last_sync?.status ?? null;
    return {
      serverId: instance.server_id,
      hostname: instance.hostname,
      lastSyncAt: isoOrNull(instance.last_sync?.date ?? null),
      status: reported?.toLowerCase() === "success" ? "success" : "failure",
      reportedStatus: reported,
      error: instance.last_sync?.error ?? null,
    };
  });
  const failing = statuses.filter((status) => status.status === "failure");
  if (failing.length > 0)
    logger.warn(
      { enterprise, hosts: failing.map((status) => status.hostname) },
      "GHES license sync failing or never run",
    );
  return statuses;
}
