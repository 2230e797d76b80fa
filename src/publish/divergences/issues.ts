import type { Divergence } from "../../shared/index.js";
import { closeDuplicates, issuesByMarker, settleAfterCreate } from "../issues/find-by-marker.js";
import { issuesWithLabel, type IssueRecord } from "../issues/issue-reads.js";
import { closeIssue, commentOn, createIssue, ensureLabel, updateIssue } from "../issues/issue-writes.js";
import { parseMarker, parseState } from "../issues/markers.js";
import type { PublishContext } from "../plan.js";
import {
  divergenceTitle,
  duplicateComment,
  figuresChangedComment,
  renderDivergenceBody,
  resolvedComment,
  sameFigures,
  type DivergenceState,
} from "./issue-body.js";
import type { PublishResult } from "../types.js";

export type DivergenceOutcome = PublishResult["divergenceIssues"][number];

/** One issue per kind, and per subject for per-instance kinds. */
export const divergenceKey = (d: { kind: string; subject?: string }): string =>
  d.subject ? `${d.kind}/${d.subject}` : d.kind;
const keyOfMarker = (fields: Record<string, string>): string =>
  divergenceKey({ kind: fields.kind ?? "", subject: fields.subject });

export interface DivergenceIssueOptions {
  enterprise: string;
  /** Label of divergence issues (repository config `labels.divergence`). */
  label: string;
  assignees: string[];
  /** `YYYY-MM-DD` of the run. */
  day: string;
}

/**
 * Open divergence issues of the enterprise by `divergenceKey`, lowest number first in each group.
 *
 * @example const open = await openDivergenceIssues(ctx, "license-sync:divergence", "acme");
 */
export function openDivergenceIssues(
  ctx: PublishContext,
  label: string,
  enterprise: string,
): Promise<Map<string, IssueRecord[]>> {
  return issuesByMarker(ctx, label, "divergence", enterprise, keyOfMarker, { state: "open" });
}

/** The newest closed issue with the same marker, to link when a divergence comes back. */
async function previousIssue(
  ctx: PublishContext,
  options: DivergenceIssueOptions,
  key: string,
): Promise<IssueRecord | undefined> {
  for await (const issue of issuesWithLabel(ctx, options.label, {
    state: "closed",
    sort: "updated",
    direction: "desc",
    maxPages: 5,
  })) {
    const found = parseMarker(issue.body);
    if (
      found?.type === "divergence" &&
      found.fields.enterprise === options.enterprise &&
      keyOfMarker(found.fields) === key
    )
      return issue;
  }
  return undefined;
}

/** Updates a lasting divergence's issue: body when it changed, a comment when the figures did. */
async function refresh(
  ctx: PublishContext,
  issue: IssueRecord,
  divergence: Divergence,
  options: DivergenceIssueOptions,
): Promise<DivergenceOutcome["action"]> {
  const state = parseState<DivergenceState>(issue.body) ?? {};
  const changed = !sameFigures(state.figures, divergence.figures);
  const body = renderDivergenceBody(divergence, options.enterprise, {
    figures: divergence.figures,
    openedRun: state.openedRun ?? ctx.runId,
    openedOn: state.openedOn ?? options.day,
    changedRun: changed ? ctx.runId : (state.changedRun ?? ctx.runId),
    ...(state.previous ? { previous: state.previous } : {}),
  });
  if (body === issue.body) return "unchanged";
  await updateIssue(ctx, issue, { body }, changed ? "figures changed" : "wording changed");
  if (changed && state.figures)
    await commentOn(ctx, issue, figuresChangedComment(state.figures, divergence.figures, ctx.runId));
  return ctx.dryRun ? "would-update" : "updated";
}

/** Opens an issue for a new divergence (linking the closed one it follows), then settles races. */
async function open(
  ctx: PublishContext,
  divergence: Divergence,
  options: DivergenceIssueOptions,
  key: string,
): Promise<{ issue: IssueRecord | null; action: DivergenceOutcome["action"] }> {
  await ensureLabel(ctx, options.label, "d93f0b", "License usage divergence found by license-sync");
  const previous = await previousIssue(ctx, options, key);
  const body = renderDivergenceBody(divergence, options.enterprise, {
    figures: divergence.figures,
    openedRun: ctx.runId,
    openedOn: options.day,
    changedRun: ctx.runId,
    ...(previous ? { previous: { number: previous.number, url: previous.url } } : {}),
  });
  const created = await createIssue(ctx, {
    title: divergenceTitle(divergence),
    body,
    labels: [options.label],
    assignees: options.assignees,
  });
  if (!created) return { issue: null, action: "would-create" };
  const relist = async () => (await openDivergenceIssues(ctx, options.label, options.enterprise)).get(key) ?? [];
  const settled = await settleAfterCreate(ctx, created, relist, duplicateComment);
  if (!settled.duplicate) return { issue: created, action: "created" };
  // The racing run's issue stays; bring it to this run's figures (quietly if they agree).
  const refreshed = await refresh(ctx, settled.issue, divergence, options);
  return { issue: settled.issue, action: refreshed };
}

/**
 * The divergence issue lifecycle, one open issue per kind (and subject) and enterprise:
 *  1. list open divergence issues by label and marker; close duplicates (lowest number stays)
 *  2. lasting divergence: update the body when it changed, comment when its figures changed
 *  3. new divergence: open an issue (linking the closed one if it came back); re-list and close
 *     ours if a concurrent run opened one first
 *  4. open issue whose divergence is gone: comment and close it
 *
 * @example const outcomes = await reconcileDivergenceIssues(ctx, report.divergences, { enterprise: "acme", label: "license-sync:divergence", assignees: [], day: "2026-11-24" });
 */
export async function reconcileDivergenceIssues(
  ctx: PublishContext,
  divergences: Divergence[],
  options: DivergenceIssueOptions,
  known?: Map<string, IssueRecord[]>,
): Promise<DivergenceOutcome[]> {
  // 1.
  const groups = known ?? (await openDivergenceIssues(ctx, options.label, options.enterprise));
  const openByKey = new Map<string, IssueRecord>();
  for (const [key, group] of groups) {
    const keep = await closeDuplicates(ctx, group, duplicateComment);
    if (keep?.state === "open") openByKey.set(key, keep);
  }
  const outcomes: DivergenceOutcome[] = [];
  const current = new Set<string>();
  for (const divergence of divergences) {
    const key = divergenceKey(divergence);
    if (current.has(key)) continue;
    current.add(key);
    const existing = openByKey.get(key);
    const subject = divergence.subject ? { subject: divergence.subject } : {};
    if (existing) {
      // 2.
      const action = await refresh(ctx, existing, divergence, options);
      outcomes.push({ kind: divergence.kind, ...subject, number: existing.number, url: existing.url, action });
    } else {
      // 3.
      const { issue, action } = await open(ctx, divergence, options, key);
      outcomes.push({
        kind: divergence.kind,
        ...subject,
        number: issue?.number ?? null,
        url: issue?.url ?? null,
        action,
      });
    }
  }
  // 4.
  for (const [key, issue] of openByKey) {
    if (current.has(key)) continue;
    const found = parseMarker(issue.body);
    await closeIssue(ctx, issue, resolvedComment(ctx.runId, options.day), { reason: "completed" });
    outcomes.push({
      kind: found?.fields.kind ?? key,
      ...(found?.fields.subject ? { subject: found.fields.subject } : {}),
      number: issue.number,
      url: issue.url,
      action: ctx.dryRun ? "would-close" : "closed",
    });
  }
  return outcomes;
}
