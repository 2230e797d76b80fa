import {
  openDivergenceIssues,
  reconcileDivergenceIssues,
  divergenceKey,
  type DivergenceOutcome,
} from "./divergences/index.js";
import { peopleCsvPath, snapshotPath } from "./history/paths.js";
import { buildSnapshot } from "./history/snapshot.js";
import { commitFile, readHistory } from "./history/store.js";
import type { IssueRecord } from "./issues/issue-reads.js";
import { updateIssue } from "./issues/issue-writes.js";
import { isoWeek } from "./iso-week.js";
import { Plan, type PublishContext } from "./plan.js";
import { maskEmails } from "../privacy/index.js";
import type { RunRecord } from "../shared/index.js";
import { renderCsvChunks } from "./render/report-csv.js";
import { renderRunSummary } from "./summary/body.js";
import { findSummaryIssues, summaryMarker, summaryTitle, upsertSummaryIssue } from "./summary/issue.js";
import type { PublishResult, PublishTarget } from "./types.js";

/** Markdown links to open divergence issues, by `divergenceKey`. */
function linksOf(issues: Array<{ key: string; number: number | null; url: string | null }>): Record<string, string> {
  return Object.fromEntries(
    issues.filter((i) => i.number !== null && i.url !== null).map((i) => [i.key, `[#${i.number}](${i.url})`]),
  );
}

/** Where the repository lives on the web, and its default branch (for links to committed files). */
async function repositoryOf(ctx: PublishContext): Promise<{ url: string; branch: string }> {
  const { data } = await ctx.octokit.rest.repos.get({ owner: ctx.owner, repo: ctx.repo });
  return { url: data.html_url, branch: data.default_branch };
}

/**
 * Publishes one finished run to the admin repository, in numbered steps:
 *  1. read: the repository, the history of the last `history.weeks` weeks, this week's summary
 *     issue and the open divergence issues (all found by their hidden markers)
 *  2. render the summary body (charts from history, links to open divergence issues)
 *  3. create or update this week's summary issue
 *  4. open, update and close divergence issues; re-link the summary if issues were opened
 *  5. commit the history snapshot, and the per-person CSV when the summary had to be cut
 * With `target.dryRun`, every step runs and reads, no write request is made, and `plan` (with
 * `posts`) says what would have been posted.
 *
 * @example
 *   const result = await publishRun(record, { octokit, owner: "acme", repo: "license-admin", config, logger, dryRun: false });
 *   result.summaryIssue?.url // "https://github.com/acme/license-admin/issues/12"
 */
export async function publishRun(record: RunRecord, target: PublishTarget): Promise<PublishResult> {
  const { config, logger, dryRun } = target;
  const at = target.now ?? new Date(record.finishedAt);
  const week = isoWeek(at).label;
  const day = at.toISOString().slice(0, 10);
  const plan = new Plan();
  const ctx: PublishContext = {
    octokit: target.octokit,
    owner: target.owner,
    repo: target.repo,
    dryRun,
    logger,
    runId: record.runId,
    plan,
  };
  const log = (step: string, fields: Record<string, unknown>) =>
    logger.info({ runId: record.runId, dryRun, step, ...fields }, `publish: ${step}`);

  // 1.
  const repository = await repositoryOf(ctx);
  const history = config.history.enabled ? await readHistory(ctx, at, config.history.weeks) : [];
  const summaryTarget = { enterprise: record.enterprise, week, label: config.labels.summary };
  const summaries = await findSummaryIssues(ctx, summaryTarget);
  const openDivergences = await openDivergenceIssues(ctx, config.labels.divergence, record.enterprise);
  log("1 read", {
    historyWeeks: history.length,
    summaryFound: summaries.thisWeek.length > 0,
    openDivergenceIssues: openDivergences.size,
  });

  // 2.
  const snapshotFile = snapshotPath(at, record.runId);
  const csvFile = peopleCsvPath(snapshotFile);
  const current = new Set(record.report.divergences.map(divergenceKey));
  const knownLinks = linksOf(
    [...openDivergences]
      .filter(([key]) => current.has(key))
      .map(([key, group]) => ({ key, number: group[0]?.number ?? null, url: group[0]?.url ?? null })),
  );
  const render = (links: Record<string, string>) =>
    renderRunSummary(record, {
      marker: summaryMarker(summaryTarget),
      at,
      history,
      weeks: config.history.weeks,
      emails: config.emails,
      divergenceLinks: links,
      divergenceIndexUrl: `${repository.url}/issues?q=${encodeURIComponent(`is:issue is:open label:"${config.labels.divergence}"`)}`,
      csvLink: config.history.enabled ? `${repository.url}/blob/${repository.branch}/${csvFile}` : null,
    });
  const rendered = render(knownLinks);
  log("2 render summary", {
    length: rendered.body.length,
    truncated: rendered.truncated,
    omittedPeople: rendered.omittedPeople,
  });

  // 3.
  const summary = await upsertSummaryIssue(ctx, summaryTarget, summaries, rendered.body);
  let summaryAction = summary.action;
  log("3 summary issue", { number: summary.issue?.number ?? null, action: summary.action });

  // 4.
  const outcomes: DivergenceOutcome[] = await reconcileDivergenceIssues(
    ctx,
    record.report.divergences,
    {
      enterprise: record.enterprise,
      label: config.labels.divergence,
      assignees: config.assignees,
      day,
    },
    openDivergences,
  );
  const stillOpen = outcomes.filter((o) => o.action !== "closed" && o.action !== "would-close");
  const links = linksOf(stillOpen.map((o) => ({ key: divergenceKey(o), number: o.number, url: o.url })));
  if (summary.issue && JSON.stringify(links) !== JSON.stringify(knownLinks)) {
    const relinked = render(links).body;
    const posted: IssueRecord = { ...summary.issue, body: maskEmails(rendered.body) };
    if (relinked !== rendered.body) {
      await updateIssue(ctx, posted, { title: summaryTitle(week), body: relinked }, "links to new divergence issues");
      if (summaryAction === "unchanged") summaryAction = "updated";
    }
  }
  log("4 divergence issues", { outcomes: outcomes.map((o) => `${divergenceKey(o)}:${o.action}`) });

  // 5.
  let historyResult: PublishResult["history"] = null;
  let csvResult: PublishResult["peopleCsv"] = null;
  if (config.history.enabled) {
    const message = `license-sync: usage ${week}, run ${record.runId}`;
    if (rendered.truncated) {
      // Bytes piece by piece (each piece ends a row, and no address spans rows): at a million people
      // the rows, the text and its masked copy are never all held at once.
      const pieces = renderCsvChunks(record.report, { emails: config.emails === "hidden" ? "hidden" : "masked" });
      const csv = Buffer.concat(Array.from(pieces, (piece) => Buffer.from(maskEmails(piece))));
      csvResult = { path: csvFile, committed: await commitFile(ctx, csvFile, csv, `${message} (per-person CSV)`) };
    }
    const issues = Object.fromEntries(stillOpen.map((o) => [divergenceKey(o), o.number]));
    const snapshot = {
      ...buildSnapshot(record, { at, issues, peopleCsv: csvResult ? csvFile : null }),
      summaryIssue: summary.issue?.number ?? null,
    };
    historyResult = {
      path: snapshotFile,
      committed: await commitFile(ctx, snapshotFile, `${JSON.stringify(snapshot, null, 2)}\n`, message),
    };
  }
  log("5 history", {
    path: historyResult?.path ?? null,
    committed: historyResult?.committed ?? false,
    csv: csvResult?.path ?? null,
  });

  if (plan.lines.length === 0) plan.add("Nothing to change: the summary and divergence issues are up to date.");
  return {
    summaryIssue: {
      number: summary.issue?.number ?? null,
      url: summary.issue?.url ?? null,
      title: summaryTitle(week),
      action: summaryAction,
    },
    divergenceIssues: outcomes,
    history: historyResult,
    plan: plan.lines,
    dryRun,
    posts: plan.posts,
    summaryTruncated: rendered.truncated,
    peopleCsv: csvResult,
  };
}
