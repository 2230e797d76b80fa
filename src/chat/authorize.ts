import type { ProbotOctokit } from "probot";
import type { DeploymentConfig, RepositoryConfig } from "../config/index.js";
import { httpStatusOf } from "../github/index.js";
import type { Log } from "../shared/index.js";

/** Who may run commands, the deployment's grant narrowed by the repository config. */
export interface CommandPolicy {
  /** Administrators of the admin repository (repository config may turn this off). */
  allowRepositoryAdmins: boolean;
  /** Deployment config: a team whose active members may run commands. */
  team?: string;
  /** Deployment config: logins that may run commands. */
  users: string[];
  /** Repository config: only these logins, of those allowed above. */
  restrictTo?: string[];
}

/** The outcome, and which rule let the commenter in (for the log). */
export interface Authorization {
  allowed: boolean;
  via?: "repository-admin" | "deployment-user" | "team";
}

/**
 * The policy in effect: the deployment config grants (administrators, its team and users), the
 * repository config can only take away. A repository `commands.team` is ignored: writers of the
 * repository must not be able to let their own team in.
 *
 * @example commandPolicy({ users: ["hubot"] }, { allowRepositoryAdmins: true }) // admins and hubot
 */
export function commandPolicy(
  deployment: DeploymentConfig["commands"],
  repository: RepositoryConfig["commands"],
): CommandPolicy {
  return {
    allowRepositoryAdmins: repository.allowRepositoryAdmins,
    ...(deployment.team ? { team: deployment.team } : {}),
    users: deployment.users,
    ...(repository.restrictTo ? { restrictTo: repository.restrictTo } : {}),
  };
}

const sameLogin = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase();

/** A team named `org/slug`, or `slug` of the admin repository's organization. */
export function teamRef(team: string, repositoryOwner: string): { org: string; slug: string } {
  const [first = "", second] = team.split("/");
  return second === undefined ? { org: repositoryOwner, slug: first } : { org: first, slug: second };
}

async function isRepositoryAdmin(octokit: ProbotOctokit, owner: string, repo: string, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login });
    // `permission` folds maintain into write; `admin` is admin in both fields.
    return data.permission === "admin";
  } catch (error) {
    if (httpStatusOf(error) === 404) return false;
    throw error;
  }
}

async function isTeamMember(
  octokit: ProbotOctokit,
  team: { org: string; slug: string },
  login: string,
  log: Log,
): Promise<boolean> {
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
      org: team.org,
      team_slug: team.slug,
      username: login,
    });
    // A pending invitation is not membership yet.
    return data.state === "active";
  } catch (error) {
    if (httpStatusOf(error) === 404) return false;
    if (httpStatusOf(error) === 403) {
      // The installation lacks "Members: read", or the team is in an organization the App is not
      // installed on: nobody passes this rule until the operator fixes it, so say so in the log.
      log.warn(
        { org: team.org, team: team.slug },
        "cannot read team membership (does the App have Members: read on this organization?)",
      );
      return false;
    }
    throw error;
  }
}

/**
 * Decides whether `login` may run `/license-sync` commands in the admin repository: one of
 * `restrictTo` when the repository config sets it, and then a repository admin (unless
 * `allowRepositoryAdmins` is false), a user named in the deployment config, or an active member
 * of its team. Write access is not enough: a run posts issues and reads every instance.
 *
 * @example
 *   const policy = commandPolicy(deployment.commands, config.commands);
 *   const { allowed } = await authorizeCommenter(context.octokit, { owner: "acme", repo: "license-admin", login: "mona" }, policy, log);
 */
export async function authorizeCommenter(
  octokit: ProbotOctokit,
  target: { owner: string; repo: string; login: string },
  policy: CommandPolicy,
  log: Log,
): Promise<Authorization> {
  const { owner, repo, login } = target;
  if (policy.restrictTo && !policy.restrictTo.some(sameLogin(login))) return { allowed: false };
  if (policy.users.some(sameLogin(login))) return { allowed: true, via: "deployment-user" };
  if (policy.allowRepositoryAdmins && (await isRepositoryAdmin(octokit, owner, repo, login)))
    return { allowed: true, via: "repository-admin" };
  if (policy.team && (await isTeamMember(octokit, teamRef(policy.team, owner), login, log)))
    return { allowed: true, via: "team" };
  return { allowed: false };
}
