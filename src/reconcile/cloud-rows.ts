import type { CloudLicense } from "../shared/index.js";

/**
 * docs/matching-rule.md, step 3: every `consumed-licenses` row is a licensed person except a stale server-only
 * row (no GHEC account, not a Visual Studio subscriber) whose hosts were all collected in this
 * run: the fresh server data replaces it. Our decision where the rule is silent: a server-only
 * row that names no host at all is kept, since nothing we collected can stand in for it. A row
 * with a Visual Studio subscription email is a subscriber even when GitHub leaves
 * `visual_studio_subscription_user` empty: it is never stale server data.
 */
export function isReplacedByFreshServerData(row: CloudLicense, collectedHosts: ReadonlySet<string>): boolean {
  if (row.githubComUser || row.visualStudioUser || row.visualStudioEmail !== null) return false;
  if (row.serverUserIds.length === 0) return false;
  return row.serverUserIds.every((id) => collectedHosts.has(id.hostname));
}

/** Splits GitHub's rows into the kept ones and the count of replaced ones. */
export function keepCloudRows(
  rows: CloudLicense[],
  collectedHosts: ReadonlySet<string>,
): { kept: CloudLicense[]; replaced: number } {
  const kept = rows.filter((row) => !isReplacedByFreshServerData(row, collectedHosts));
  return { kept, replaced: rows.length - kept.length };
}
