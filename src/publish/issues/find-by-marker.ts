import { parseMarker, type MarkerType } from "./markers.js";
import type { PublishContext } from "../plan.js";
import { closeIssue } from "./issue-writes.js";
import { issuesWithLabel, type IssueRecord, type ListOptions } from "./issue-reads.js";

/**
 * Issues of `label` whose marker is of `type` and names `enterprise`, grouped by `keyOf` of the
 * marker fields; each group sorted by number, lowest first.
 *
 * @example const open = await issuesByMarker(ctx, "license-sync:divergence", "divergence", "acme", (f) => `${f.kind}/${f.subject ?? ""}`, { state: "open" });
 */
export async function issuesByMarker(
  ctx: PublishContext,
  label: string,
  type: MarkerType,
  enterprise: string,
  keyOf: (fields: Record<string, string>) => string,
  options: ListOptions,
): Promise<Map<string, IssueRecord[]>> {
  const groups = new Map<string, IssueRecord[]>();
  for await (const issue of issuesWithLabel(ctx, label, options)) {
    const found = parseMarker(issue.body);
    if (!found || found.type !== type || found.fields.enterprise !== enterprise) continue;
    const key = keyOf(found.fields);
    groups.set(
      key,
      [...(groups.get(key) ?? []), issue].sort((a, b) => a.number - b.number),
    );
  }
  return groups;
}

/**
 * Keeps the lowest-numbered open issue of a group and closes the other open ones as its
 * duplicates (left by two runs that raced, or by a run that died between creating and checking).
 *
 * @example const keep = await closeDuplicates(ctx, group, "weekly summary");
 */
export async function closeDuplicates(
  ctx: PublishContext,
  group: IssueRecord[],
  comment: (keep: IssueRecord) => string,
): Promise<IssueRecord | undefined> {
  const open = group.filter((issue) => issue.state === "open");
  const [keep, ...duplicates] = open;
  for (const duplicate of duplicates) {
    if (!keep) break;
    ctx.logger.info({ runId: ctx.runId, issue: duplicate.number, keep: keep.number }, "closing a duplicate issue");
    await closeIssue(ctx, duplicate, comment(keep), { reason: "duplicate", of: keep });
    duplicate.state = "closed";
  }
  return keep ?? group[0];
}

/**
 * After opening `created`, lists the group again: when an older open issue with the same marker
 * exists (a concurrent run opened it first), `created` is closed as its duplicate and the older
 * one is returned. Only the newer issue closes itself, so two racing runs never both comment.
 *
 * @example const issue = await settleAfterCreate(ctx, created, () => issuesByMarker(...).then((g) => g.get(key) ?? []), duplicateComment);
 */
export async function settleAfterCreate(
  ctx: PublishContext,
  created: IssueRecord,
  relist: () => Promise<IssueRecord[]>,
  comment: (keep: IssueRecord) => string,
): Promise<{ issue: IssueRecord; duplicate: boolean }> {
  const group = await relist();
  const lowest = group.filter((issue) => issue.state === "open").sort((a, b) => a.number - b.number)[0];
  if (!lowest || lowest.number >= created.number) return { issue: created, duplicate: false };
  ctx.logger.info(
    { runId: ctx.runId, issue: created.number, keep: lowest.number },
    "a concurrent run opened the same issue first; closing ours",
  );
  await closeIssue(ctx, created, comment(lowest), { reason: "duplicate", of: lowest });
  return { issue: lowest, duplicate: true };
}
