/** A pushed commit's file lists, as the push webhook gives them. */
export interface PushedCommit {
  added?: string[];
  modified?: string[];
  removed?: string[];
}

/** What a push did to each path, after all its commits. */
export interface PushChanges {
  /** Added or modified, and still present at the pushed head. */
  present: Set<string>;
  /** Removed by the push (and not added back). */
  removed: Set<string>;
}

/**
 * Folds a push's commits, oldest first, into the paths it leaves present or removed: a file added
 * then deleted in the same push is not there to read, and one deleted then re-added is.
 *
 * GitHub lists at most 2048 commits per push webhook; a larger push may miss files, which the next
 * scheduled run still reads from the default branch.
 *
 * @example
 *   pushChanges([{ added: ["a.json"] }, { removed: ["a.json"], modified: ["b.json"] }])
 *   // { present: Set { "b.json" }, removed: Set { "a.json" } }
 */
export function pushChanges(commits: readonly PushedCommit[]): PushChanges {
  const present = new Set<string>();
  const removed = new Set<string>();
  for (const commit of commits) {
    for (const path of [...(commit.added ?? []), ...(commit.modified ?? [])]) {
      present.add(path);
      removed.delete(path);
    }
    for (const path of commit.removed ?? []) {
      removed.add(path);
      present.delete(path);
    }
  }
  return { present, removed };
}
