import type { Repo } from "./model.js";

/** A comment as tests look at it. */
export interface CommentView {
  id: number;
  body: string;
  user: string;
  reactions: string[];
}

/** An issue as tests look at it. */
export interface IssueView {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: string | null;
  labels: string[];
  assignees: string[];
  user: string;
  comments: CommentView[];
  reactions: string[];
}

/** A snapshot of a repository for assertions (`sim.repo(owner, name)`). */
export interface RepoView {
  defaultBranch: string;
  issues: IssueView[];
  labels: string[];
  /** Text of every file on a branch (default: the default branch). */
  files(branch?: string): Record<string, string>;
  /** Commit shas of a branch, newest first. */
  commits(branch?: string): string[];
  commitComments: Array<{ commitId: string; body: string; user: string; path: string | null }>;
}

/** Snapshots `repo`; later changes do not show in the returned issues. */
export function viewOf(repo: Repo): RepoView {
  const head = (branch?: string) => repo.commits.get(repo.branches.get(branch ?? repo.defaultBranch) ?? "");
  return {
    defaultBranch: repo.defaultBranch,
    issues: repo.issues.map((i) => ({
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      stateReason: i.stateReason,
      labels: [...i.labels],
      assignees: [...i.assignees],
      user: i.user.login,
      comments: i.comments.map((c) => ({
        id: c.id,
        body: c.body,
        user: c.user.login,
        reactions: c.reactions.map((r) => r.content),
      })),
      reactions: i.reactions.map((r) => r.content),
    })),
    labels: [...repo.labels.values()].map((l) => l.name),
    files: (branch) =>
      Object.fromEntries(
        [...(head(branch)?.tree ?? new Map())].map(([path, blob]) => [path, blob.content.toString("utf8")]),
      ),
    commits(branch) {
      const shas: string[] = [];
      for (let commit = head(branch); commit; commit = commit.parent ? repo.commits.get(commit.parent) : undefined)
        shas.push(commit.sha);
      return shas;
    },
    commitComments: repo.commitComments.map((c) => ({
      commitId: c.commitId,
      body: c.body,
      user: c.user.login,
      path: c.path,
    })),
  };
}
