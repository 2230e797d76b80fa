/**
 * State of the simulated api.github.com repositories, installations and teams. Plain data:
 * routes mutate it, `sim.repo()` snapshots it for assertions.
 */

/** Repository role of a user; `permission` in GitHub's answer folds maintain/triage into write/read. */
export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** Who performed an action: a user (PAT) or the App's bot (installation token). */
export interface Actor {
  login: string;
  id: number;
  type: "User" | "Bot";
}

/** One reaction on an issue or a comment. */
export interface Reaction {
  id: number;
  content: string;
  user: Actor;
  createdAt: number;
}

/** A comment on an issue. */
export interface IssueComment {
  id: number;
  issueNumber: number;
  body: string;
  user: Actor;
  createdAt: number;
  updatedAt: number;
  reactions: Reaction[];
}

/** An issue with its comments and reactions. */
export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "reopened" | "not_planned" | "duplicate" | null;
  /** Label names, spelled as the label is. */
  labels: string[];
  assignees: string[];
  user: Actor;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  comments: IssueComment[];
  reactions: Reaction[];
}

/** A repository label. */
export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

/** A file's content and its git blob sha. */
export interface Blob {
  content: Buffer;
  sha: string;
}

/** A commit with its full tree (repositories here are small). */
export interface Commit {
  sha: string;
  treeSha: string;
  message: string;
  parent: string | null;
  tree: Map<string, Blob>;
  author: { name: string; email: string };
  date: number;
}

/** A comment on a commit (the app's answer to a pushed usage file). */
export interface CommitComment {
  id: number;
  commitId: string;
  body: string;
  path: string | null;
  position: number | null;
  line: number | null;
  user: Actor;
  createdAt: number;
}

/** A repository: issues, labels, git history, collaborator roles. */
export interface Repo {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  createdAt: number;
  nextIssueNumber: number;
  issues: Issue[];
  /** By lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, Label>;
  /** Branch name -> head commit sha. */
  branches: Map<string, string>;
  commits: Map<string, Commit>;
  /** By lower-cased login. */
  permissions: Map<string, Permission>;
  commitComments: CommitComment[];
}

/** A GitHub App installation on an organization, user or enterprise account. */
export interface Installation {
  id: number;
  account: { login: string; id: number; type: "Organization" | "User" | "Enterprise" };
  /** "all", or the names of the selected repositories. */
  repositories: "all" | string[];
  permissions: Record<string, "read" | "write" | "admin">;
  events: string[];
  createdAt: number;
}

/** What a test seeds an installation with. */
export interface InstallationSeed {
  id: number;
  account: string;
  accountType?: Installation["account"]["type"];
  repositories?: "all" | string[];
  /** Replaces the default permissions (metadata read; issues, contents write; members read). */
  permissions?: Installation["permissions"];
  events?: string[];
}

/** What a test seeds a repository with. */
export interface RepositorySeed {
  owner: string;
  name: string;
  defaultBranch?: string;
  private?: boolean;
  /** Path -> text content, committed on the default branch. */
  files?: Record<string, string>;
  /** Login -> role. */
  permissions?: Record<string, Permission>;
  /** Label names that exist from the start. */
  labels?: string[];
}

/** Team membership as `GET /orgs/{org}/teams/{team}/memberships/{user}` answers it. */
export interface TeamMembership {
  role: "member" | "maintainer";
  state: "active" | "pending";
}
