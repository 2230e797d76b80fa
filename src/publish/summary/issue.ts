import { closeDuplicates, settleAfterCreate } from "../issues/find-by-marker.js";
import { issuesWithLabel, type IssueRecord } from "../issues/issue-reads.js";
import { closeIssue, createIssue, ensureLabel, updateIssue } from "../issues/issue-writes.js";
import { marker, parseMarker } from "../issues/markers.js";
import type { PublishContext } from "../plan.js";
import type { IssueAction } from "../types.js";

export interface SummaryIssueTarget {
  enterprise: string;
  /** `2026-W48`. */
  week: string;
  /** Repository config `labels.summary`. */
  label: string;
}

/** Summary issues of the enterprise found by marker: this week's, and open ones of earlier weeks. */
export interface FoundSummaries {
  thisWeek: IssueRecord[];
  olderOpen: IssueRecord[];
}

export type SummaryAction = IssueAction | "would-create" | "would-update";

/** `<!-- license-sync:summary week=2026-W48 enterprise=acme -->` */
export const summaryMarker = (target: SummaryIssueTarget): string =>
  marker("summary", { week: target.week, enterprise: target.enterprise });

/** `License usage 2026-W48` */
export const summaryTitle = (week: string): string => `License usage ${week}`;

/**
 * Lists summary issues (open and closed: a closed one of this week is still this week's), newest
 * first, until the page that reaches an earlier week's summary.
 *
 * @example const found = await findSummaryIssues(ctx, { enterprise: "acme", week: "2026-W48", label: "license-sync" });
 */
export async function findSummaryIssues(ctx: PublishContext, target: SummaryIssueTarget): Promise<FoundSummaries> {
  const found: FoundSummaries = { thisWeek: [], olderOpen: [] };
  const weekOf = (issue: IssueRecord): string | null => {
    const m = parseMarker(issue.body);
    return m?.type === "summary" && m.fields.enterprise === target.enterprise ? (m.fields.week ?? null) : null;
  };
  const olderWeek = (issue: IssueRecord) => (weekOf(issue) ?? "9999") < target.week;
  for await (const issue of issuesWithLabel(ctx, target.label, {
    state: "all",
    sort: "created",
    direction: "desc",
    maxPages: 10,
    stopAfter: olderWeek,
  })) {
    const week = weekOf(issue);
    if (week === target.week) found.thisWeek.push(issue);
    else if (week !== null && week < target.week && issue.state === "open") found.olderOpen.push(issue);
  }
  found.thisWeek.sort((a, b) => a.number - b.number);
  return found;
}

const duplicateText = (keep: IssueRecord) =>
  `Duplicate of #${keep.number}: two runs opened this week's summary at the same time. Closing this one.`;

/**
 * Creates or updates this week's summary issue, never a second one for the same week:
 *  1. an existing issue (lowest number; other open ones closed as duplicates) is updated when
 *     its body or title differs
 *  2. otherwise one is created, the list read again, and ours closed if a concurrent run's is older
 *  3. open summaries of earlier weeks are closed, pointing at this week's
 *
 * @example const { issue, action } = await upsertSummaryIssue(ctx, target, found, body);
 */
export async function upsertSummaryIssue(
  ctx: PublishContext,
  target: SummaryIssueTarget,
  found: FoundSummaries,
  body: string,
): Promise<{ issue: IssueRecord | null; action: SummaryAction }> {
  const title = summaryTitle(target.week);
  let issue: IssueRecord | null = null;
  let action: SummaryAction;
  // 1.
  const existing = found.thisWeek.length > 0 ? await closeDuplicates(ctx, found.thisWeek, duplicateText) : undefined;
  if (existing) {
    issue = existing;
    action = existing.body === body && existing.title === title ? "unchanged" : ctx.dryRun ? "would-update" : "updated";
    if (action !== "unchanged") await updateIssue(ctx, existing, { title, body }, "this week's summary");
  } else {
    // 2.
    await ensureLabel(ctx, target.label, "0e8a16", "Weekly license usage summary by license-sync");
    const created = await createIssue(ctx, { title, body, labels: [target.label], assignees: [] });
    action = created ? "created" : "would-create";
    if (created) {
      const settled = await settleAfterCreate(
        ctx,
        created,
        async () => (await findSummaryIssues(ctx, target)).thisWeek,
        duplicateText,
      );
      issue = settled.issue;
      if (settled.duplicate) {
        action = settled.issue.body === body ? "unchanged" : "updated";
        if (action === "updated") await updateIssue(ctx, settled.issue, { title, body }, "this week's summary");
      }
    }
  }
  // 3.
  for (const older of found.olderOpen) {
    const successor = issue ? `#${issue.number}` : `the ${target.week} summary`;
    await closeIssue(ctx, older, `Superseded by ${successor}, the summary of ${target.week}.`, { reason: "completed" });
  }
  return { issue, action };
}
