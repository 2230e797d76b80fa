import { makeCommit } from "./git.js";
import type {
  Actor,
  Commit,
  Installation,
  InstallationSeed,
  Permission,
  Repo,
  RepositorySeed,
  TeamMembership,
} from "./model.js";

const key = (...parts: string[]): string => parts.join("/").toLowerCase();

/** Permissions an installation gets unless the seed says otherwise: what license-sync asks for. */
export const DEFAULT_INSTALLATION_PERMISSIONS: Installation["permissions"] = {
  metadata: "read",
  issues: "write",
  contents: "write",
  members: "read",
};

/**
 * The mutable side of api.github.com: repositories (issues, labels, files, roles), App
 * installations and team memberships. Seeds are kept so `restore()` can start over.
 */
export class GitHubState {
  readonly repos = new Map<string, Repo>();
  readonly installations = new Map<number, Installation>();
  readonly teams = new Map<string, Map<string, TeamMembership>>();
  private lastId = 1_000;
  /** What `restore()` rebuilds; taken by `markSeeded()` once the simulator applied its options. */
  private baseline: {
    repos: RepositorySeed[];
    installations: InstallationSeed[];
    teams: Array<[string, string, string, TeamMembership]>;
  } | null = null;

  constructor(readonly now: () => number = Date.now) {}

  /** A fresh id for any object (issues, comments, labels, reactions...). */
  nextId(): number {
    return ++this.lastId;
  }

  /** Creates a repository with an initial commit (README plus seeded files). */
  createRepository(seed: RepositorySeed): Repo {
    const repo: Repo = {
      id: this.nextId(),
      owner: seed.owner,
      name: seed.name,
      private: seed.private ?? true,
      defaultBranch: seed.defaultBranch ?? "main",
      createdAt: this.now(),
      nextIssueNumber: 1,
      issues: [],
      labels: new Map(),
      branches: new Map(),
      commits: new Map(),
      permissions: new Map(Object.entries(seed.permissions ?? {}).map(([login, role]) => [login.toLowerCase(), role])),
      commitComments: [],
    };
    this.repos.set(key(seed.owner, seed.name), repo);
    const files = new Map<string, Buffer | null>([["README.md", Buffer.from(`# ${seed.name}\n`)]]);
    for (const [path, text] of Object.entries(seed.files ?? {})) files.set(path, Buffer.from(text));
    this.commit(repo, repo.defaultBranch, files, "Initial commit");
    for (const name of seed.labels ?? []) this.addLabel(repo, name, "ededed", null);
    return repo;
  }

  repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(key(owner, name));
  }

  /** The repository or an error naming it (for seeding helpers, not routes). */
  mustRepo(owner: string, name: string): Repo {
    const repo = this.repo(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name} in the simulator`);
    return repo;
  }

  /** Commits `changes` on `branch` (created from the default branch when new). */
  commit(
    repo: Repo,
    branch: string,
    changes: Map<string, Buffer | null>,
    message: string,
    author = { name: "Monalisa Octocat", email: "mona@github.example" },
  ): Commit {
    const head = repo.branches.get(branch) ?? repo.branches.get(repo.defaultBranch);
    const commit = makeCommit(head ? (repo.commits.get(head) ?? null) : null, changes, message, author, this.now());
    repo.commits.set(commit.sha, commit);
    repo.branches.set(branch, commit.sha);
    return commit;
  }

  /** Seeds or changes one file, e.g. `.github/license-sync.yml`; returns the new commit. */
  putFile(owner: string, name: string, path: string, content: string, branch?: string): Commit {
    const repo = this.mustRepo(owner, name);
    return this.commit(repo, branch ?? repo.defaultBranch, new Map([[path, Buffer.from(content)]]), `Update ${path}`);
  }

  addLabel(repo: Repo, name: string, color: string, description: string | null): void {
    repo.labels.set(name.toLowerCase(), { id: this.nextId(), name, color, description, default: false });
  }

  setPermission(owner: string, name: string, login: string, permission: Permission): void {
    this.mustRepo(owner, name).permissions.set(login.toLowerCase(), permission);
  }

  /** Sets (or with null removes) a user's membership of `org/team`. */
  setTeamMembership(org: string, team: string, login: string, membership: Partial<TeamMembership> | null): void {
    const members = this.teams.get(key(org, team)) ?? new Map<string, TeamMembership>();
    this.teams.set(key(org, team), members);
    if (membership === null) members.delete(login.toLowerCase());
    else members.set(login.toLowerCase(), { role: membership.role ?? "member", state: membership.state ?? "active" });
  }

  teamMembership(org: string, team: string, login: string): TeamMembership | undefined {
    return this.teams.get(key(org, team))?.get(login.toLowerCase());
  }

  addInstallation(seed: InstallationSeed): Installation {
    const installation: Installation = {
      id: seed.id,
      account: { login: seed.account, id: this.nextId(), type: seed.accountType ?? "Organization" },
      repositories: seed.repositories ?? "all",
      permissions: { ...(seed.permissions ?? DEFAULT_INSTALLATION_PERMISSIONS) },
      events: seed.events ?? ["issues", "issue_comment", "push", "installation"],
      createdAt: this.now(),
    };
    this.installations.set(seed.id, installation);
    return installation;
  }

  /** Whether an installation reaches a repository. */
  covers(installation: Installation, owner: string, name: string): boolean {
    if (installation.account.login.toLowerCase() !== owner.toLowerCase()) return false;
    return (
      installation.repositories === "all" ||
      installation.repositories.some((r) => r.toLowerCase() === name.toLowerCase())
    );
  }

  installationForAccount(login: string): Installation | undefined {
    return [...this.installations.values()].find((i) => i.account.login.toLowerCase() === login.toLowerCase());
  }

  /** Remembers the current repositories (as seeded), installations and teams for `restore()`. */
  markSeeded(seeds: { repos: RepositorySeed[]; installations: InstallationSeed[] }): void {
    const teams: Array<[string, string, string, TeamMembership]> = [];
    for (const [team, members] of this.teams) {
      const [org = "", slug = ""] = team.split("/");
      for (const [login, membership] of members) teams.push([org, slug, login, { ...membership }]);
    }
    this.baseline = { ...seeds, teams };
  }

  /** Drops every change since the simulator started: issues, labels, files, roles, team changes. */
  restore(): void {
    const baseline = this.baseline ?? { repos: [], installations: [], teams: [] };
    this.repos.clear();
    this.installations.clear();
    this.teams.clear();
    baseline.repos.forEach((seed) => this.createRepository(seed));
    baseline.installations.forEach((seed) => this.addInstallation(seed));
    for (const [org, team, login, membership] of baseline.teams) this.setTeamMembership(org, team, login, membership);
  }

  /** The bot user the App acts as. */
  static bot(slug: string, appId: number): Actor {
    return { login: `${slug}[bot]`, id: 40_000_000 + appId, type: "Bot" };
  }
}
