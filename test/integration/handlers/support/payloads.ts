import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { Probot } from "probot";
import { INSTALLATION_ID } from "./app.js";

let deliveries = 0;

/** Delivers a webhook through `probot.receive`, as Probot's middleware would after verifying it. */
export async function deliver(probot: Probot, name: string, payload: Record<string, unknown>): Promise<string> {
  const id = `delivery-${++deliveries}`;
  await probot.receive({ id, name, payload } as unknown as EmitterWebhookEvent);
  return id;
}

const user = (login: string, type = "User") => ({ login, id: 1000 + login.length, type });

export function repository(fullName = "acme/license-admin") {
  const [owner = "", name = ""] = fullName.split("/");
  return {
    id: 77,
    name,
    full_name: fullName,
    private: true,
    default_branch: "main",
    owner: user(owner, "Organization"),
  };
}

/** `issue_comment` (created unless said otherwise) on issue 5 of the admin repository. */
export function commentPayload(
  body: string,
  options: { login?: string; userType?: string; action?: string; repo?: string } = {},
) {
  const login = options.login ?? "mona";
  return {
    action: options.action ?? "created",
    issue: { number: 5, title: "License usage 2026-W48", state: "open", user: user("license-sync[bot]", "Bot") },
    comment: {
      id: 9001,
      body,
      user: user(login, options.userType),
      created_at: "2026-11-30T10:00:00Z",
      updated_at: "2026-11-30T10:00:00Z",
    },
    repository: repository(options.repo),
    sender: user(login, options.userType),
    installation: { id: INSTALLATION_ID },
  };
}

/** `installation` on account `acme` (all repositories unless `repositories` is given). */
export function installationPayload(
  action: string,
  options: { account?: string; repositories?: string[]; selection?: "all" | "selected" } = {},
) {
  const account = options.account ?? "acme";
  const selection = options.selection ?? (options.repositories ? "selected" : "all");
  return {
    action,
    installation: {
      id: INSTALLATION_ID,
      account: user(account, "Organization"),
      repository_selection: selection,
      target_type: "Organization",
      permissions: {},
      events: [],
    },
    ...(options.repositories
      ? {
          repositories: options.repositories.map((full_name, i) => ({
            id: i + 1,
            name: full_name.split("/")[1],
            full_name,
            private: true,
          })),
        }
      : {}),
    sender: user("mona"),
  };
}

/** `installation_repositories` added or removed. */
export function installationRepositoriesPayload(action: "added" | "removed", fullNames: string[]) {
  const list = fullNames.map((full_name, i) => ({
    id: i + 1,
    name: full_name.split("/")[1],
    full_name,
    private: true,
  }));
  return {
    action,
    installation: { id: INSTALLATION_ID, account: user("acme", "Organization"), repository_selection: "selected" },
    repository_selection: "selected",
    repositories_added: action === "added" ? list : [],
    repositories_removed: action === "removed" ? list : [],
    requester: null,
    sender: user("mona"),
  };
}

export const PUSHED_SHA = "a".repeat(40);

/** `push` of one commit to `main` of the admin repository. */
export function pushPayload(
  files: { added?: string[]; modified?: string[]; removed?: string[] },
  options: { ref?: string; repo?: string; pusher?: string } = {},
) {
  return {
    ref: options.ref ?? "refs/heads/main",
    before: "b".repeat(40),
    after: PUSHED_SHA,
    created: false,
    deleted: false,
    forced: false,
    commits: [
      {
        id: PUSHED_SHA,
        message: "Upload usage",
        added: files.added ?? [],
        modified: files.modified ?? [],
        removed: files.removed ?? [],
      },
    ],
    head_commit: { id: PUSHED_SHA },
    repository: repository(options.repo),
    pusher: { name: options.pusher ?? "mona" },
    sender: user(options.pusher ?? "mona"),
    installation: { id: INSTALLATION_ID },
  };
}
