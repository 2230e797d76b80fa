import { ContentsBody, httpStatusOf, maskedFile, putContents, repositoryEntry } from "../../github/index.js";
import { maskEmails } from "../../privacy/index.js";
import { isoWeek } from "../iso-week.js";
import type { PublishContext } from "../plan.js";
import { HISTORY_ROOT, parseSnapshotName } from "./paths.js";
import { historySnapshotSchema, type HistorySnapshot } from "./snapshot.js";

const WEEK_MS = 7 * 86_400_000;

/** A file or directory of the admin repository's default branch; null when it does not exist. */
async function entryAt(ctx: PublishContext, path: string): Promise<Awaited<ReturnType<typeof repositoryEntry>> | null> {
  try {
    return await repositoryEntry(ctx.octokit, { owner: ctx.owner, repo: ctx.repo, path });
  } catch (error) {
    if (httpStatusOf(error) === 404) return null;
    throw error;
  }
}

/** One snapshot file, or null (with a warning) when it is not a version 1 snapshot. */
async function readSnapshot(ctx: PublishContext, path: string): Promise<HistorySnapshot | null> {
  const file = await entryAt(ctx, path);
  if (file?.type !== "file") return null;
  const text = (await file.bytes()).toString("utf8");
  try {
    const parsed = historySnapshotSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    ctx.logger.warn(
      { runId: ctx.runId, path, problem: parsed.error.issues[0]?.message },
      "skipping a history snapshot that does not match format version 1",
    );
  } catch {
    ctx.logger.warn({ runId: ctx.runId, path }, "skipping a history snapshot that is not JSON");
  }
  return null;
}

/**
 * The newest snapshot of each of the last `weeks` ISO weeks up to `at`, oldest first. Lists one
 * directory per year through the contents API, then reads only the files it needs. Files that
 * do not parse (hand edits, a future format) are skipped with a warning for the next newest.
 *
 * @example const history = await readHistory(ctx, new Date(), 12);
 */
export async function readHistory(ctx: PublishContext, at: Date, weeks: number): Promise<HistorySnapshot[]> {
  const firstWeek = isoWeek(new Date(at.getTime() - (weeks - 1) * WEEK_MS));
  // Candidates per week, newest first: a week's newest file that does not parse gives way to the next.
  const candidates = new Map<string, Array<{ at: Date; path: string }>>();
  for (let year = firstWeek.start.getUTCFullYear(); year <= at.getUTCFullYear(); year++) {
    const directory = await entryAt(ctx, `${HISTORY_ROOT}/${year}`);
    if (directory?.type !== "dir") continue;
    const listing = directory.entries;
    // The contents API lists at most 1,000 entries of a directory.
    if (listing.length >= 1000)
      ctx.logger.warn(
        { runId: ctx.runId, year },
        "history directory has 1,000 or more files; older weeks may be missing from the trend",
      );
    for (const entry of listing) {
      const parsed = entry.type === "file" ? parseSnapshotName(entry.name) : null;
      if (!parsed || parsed.at > at || parsed.week < firstWeek.label) continue;
      candidates.set(parsed.week, [...(candidates.get(parsed.week) ?? []), { at: parsed.at, path: entry.path }]);
    }
  }
  const weeksFound = [...candidates.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const snapshots = await Promise.all(
    weeksFound.map(async ([, files]) => {
      files.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.path < b.path ? 1 : -1));
      for (const { path } of files) {
        const snapshot = await readSnapshot(ctx, path);
        if (snapshot) return snapshot;
      }
      return null;
    }),
  );
  return snapshots.filter((s): s is HistorySnapshot => s !== null);
}

/** Whether `stored` is `bytes` as the email guard sends them (the same bytes when it masks nothing). */
function isCommitted(stored: Buffer, bytes: Buffer): boolean {
  if (stored.equals(bytes)) return true;
  const guarded = maskedFile(bytes, maskEmails);
  return guarded !== bytes && stored.equals(guarded);
}

/**
 * Creates or updates one file on the default branch (contents API, with the sha it replaces);
 * a file that already holds `content` is left alone (false). `content` is text (UTF-8) or its
 * bytes, sent as base64 written while the request goes out (`ContentsBody`): a per-person CSV
 * can be tens of MiB.
 * A concurrent write (409, or 422 for a missing sha) is retried once with the fresh sha. In a
 * dry run nothing is written and the plan says what would be.
 *
 * @example await commitFile(ctx, "license-usage/history/2026/…json", json, "license-sync: usage snapshot 2026-W48");
 */
export async function commitFile(
  ctx: PublishContext,
  path: string,
  content: string | Buffer,
  message: string,
): Promise<boolean> {
  const size = typeof content === "string" ? Buffer.byteLength(content) : content.length;
  if (ctx.dryRun) {
    ctx.plan.add(`Would commit ${path} (${size} bytes)`, { action: "commit-file", target: path });
    return false;
  }
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  for (let attempt = 1; ; attempt++) {
    const current = await entryAt(ctx, path);
    const sha = current?.type === "file" ? current.sha : undefined;
    // A retried publish finds its own file: writing it again would only add an empty commit.
    // What was committed is what the email guard let through, so that is compared too.
    if (current?.type === "file" && isCommitted(await current.bytes(), bytes)) {
      ctx.plan.add(`${path} is up to date`);
      return false;
    }
    try {
      const body = new ContentsBody({ message, ...(sha ? { sha } : {}) }, bytes);
      await putContents(ctx.octokit, { owner: ctx.owner, repo: ctx.repo, path }, body);
      ctx.plan.add(`Committed ${path} (${size} bytes)`, { action: "commit-file", target: path });
      return true;
    } catch (error) {
      const status = httpStatusOf(error);
      if (attempt >= 2 || (status !== 409 && status !== 422)) throw error;
    }
  }
}
