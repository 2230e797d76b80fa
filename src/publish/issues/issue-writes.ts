import { httpStatusOf } from "../../github/index.js";
import { maskEmails } from "../../privacy/index.js";
import type { PublishContext } from "../plan.js";
import { findRunComment, runCommentMarker } from "./comment-marker.js";
import { toIssueRecord, type IssueRecord } from "./issue-reads.js";

/**
 * Every write publishing makes to issues and labels goes through here, and here alone decides
 * whether it happens: in a dry run each one is only added to the plan (actions/stale's
 * `debug-only` idea), so a dry run cannot write by accident. Bodies pass the email guard.
 */

const ensuredLabels = new WeakMap<PublishContext, Set<string>>();

/**
 * Creates `name` unless the repository has it (any case, as GitHub compares label names).
 *
 * @example await ensureLabel(ctx, "license-sync", "0e8a16", "Weekly license usage summary");
 */
export async function ensureLabel(
  ctx: PublishContext,
  name: string,
  color: string,
  description: string,
): Promise<void> {
  const done = ensuredLabels.get(ctx) ?? new Set<string>();
  ensuredLabels.set(ctx, done);
  if (done.has(name.toLowerCase())) return;
  done.add(name.toLowerCase());
  try {
    await ctx.octokit.rest.issues.getLabel({ owner: ctx.owner, repo: ctx.repo, name });
    return;
  } catch (error) {
    if (httpStatusOf(error) !== 404) throw error;
  }
  if (ctx.dryRun) return ctx.plan.add(`Would create label "${name}"`, { action: "create-label", target: name });
  try {
    await ctx.octokit.rest.issues.createLabel({ owner: ctx.owner, repo: ctx.repo, name, color, description });
    ctx.plan.add(`Created label "${name}"`, { action: "create-label", target: name });
  } catch (error) {
    // Another run created it meanwhile: fine.
    if (httpStatusOf(error) !== 422) throw error;
  }
}

export interface NewIssue {
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
}

/**
 * Opens an issue; null in a dry run. Assignees GitHub refuses (422) are dropped with a warning
 * rather than failing the run.
 *
 * @example const issue = await createIssue(ctx, { title, body, labels: ["license-sync"], assignees: [] });
 */
export async function createIssue(ctx: PublishContext, issue: NewIssue): Promise<IssueRecord | null> {
  const body = maskEmails(issue.body);
  const post = { action: "create-issue" as const, target: "new issue", title: issue.title, body };
  if (ctx.dryRun) {
    ctx.plan.add(`Would open issue "${issue.title}"`, post);
    return null;
  }
  const params = { owner: ctx.owner, repo: ctx.repo, title: issue.title, body, labels: issue.labels };
  let created;
  try {
    created = await ctx.octokit.rest.issues.create({
      ...params,
      ...(issue.assignees.length > 0 ? { assignees: issue.assignees } : {}),
    });
  } catch (error) {
    if (httpStatusOf(error) !== 422 || issue.assignees.length === 0) throw error;
    ctx.logger.warn(
      { runId: ctx.runId, assignees: issue.assignees },
      "GitHub refused the configured assignees; opening the issue unassigned",
    );
    created = await ctx.octokit.rest.issues.create(params);
  }
  const record = toIssueRecord(created.data);
  ctx.plan.add(`Opened #${record.number} "${issue.title}"`, { ...post, target: `#${record.number}` });
  return record;
}

/**
 * Replaces an issue's body (and title, when given).
 *
 * @example await updateIssue(ctx, issue, { body }, "figures changed");
 */
export async function updateIssue(
  ctx: PublishContext,
  issue: IssueRecord,
  change: { title?: string; body: string },
  why: string,
): Promise<void> {
  const body = maskEmails(change.body);
  const post = {
    action: "update-issue" as const,
    target: `#${issue.number}`,
    title: change.title ?? issue.title,
    body,
  };
  if (ctx.dryRun) return ctx.plan.add(`Would update #${issue.number} "${post.title}" (${why})`, post);
  await ctx.octokit.rest.issues.update({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issue.number,
    body,
    ...(change.title ? { title: change.title } : {}),
  });
  ctx.plan.add(`Updated #${issue.number} "${post.title}" (${why})`, post);
}

/**
 * Adds the run's comment, once: it carries a hidden marker with the run id, and an issue that
 * already has this run's comment (a retried publish) gets no second one.
 *
 * @example await commentOn(ctx, issue, "Figures changed: over 3 → 5.");
 */
export async function commentOn(ctx: PublishContext, issue: IssueRecord, text: string): Promise<void> {
  const body = maskEmails(text);
  const post = { action: "comment" as const, target: `#${issue.number}`, body };
  if (ctx.dryRun) return ctx.plan.add(`Would comment on #${issue.number}`, post);
  const target = { owner: ctx.owner, repo: ctx.repo, issueNumber: issue.number };
  if (await findRunComment(ctx.octokit, target, "comment", ctx.runId))
    return ctx.plan.add(`#${issue.number} already has this run's comment`);
  await ctx.octokit.rest.issues.createComment({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issue.number,
    body: `${body.trimEnd()}\n\n${runCommentMarker("comment", ctx.runId)}`,
  });
  ctx.plan.add(`Commented on #${issue.number}`, post);
}

/**
 * Comments, then closes: as completed, or as a duplicate of another issue.
 *
 * @example await closeIssue(ctx, issue, "Resolved in run r2.", { reason: "completed" });
 */
export async function closeIssue(
  ctx: PublishContext,
  issue: IssueRecord,
  text: string,
  how: { reason: "completed" } | { reason: "duplicate"; of: IssueRecord },
): Promise<void> {
  await commentOn(ctx, issue, text);
  const post = { action: "close-issue" as const, target: `#${issue.number}` };
  const what = how.reason === "duplicate" ? `as a duplicate of #${how.of.number}` : "as completed";
  if (ctx.dryRun) return ctx.plan.add(`Would close #${issue.number} ${what}`, post);
  await ctx.octokit.rest.issues.update({
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issue.number,
    state: "closed",
    state_reason: how.reason,
    ...(how.reason === "duplicate" ? { duplicate_issue_id: how.of.id } : {}),
  });
  ctx.plan.add(`Closed #${issue.number} ${what}`, post);
}
