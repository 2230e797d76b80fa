import { z } from "zod";
import { issuePath } from "../collect/readers/index.js";

// Only the fields the handlers read, each checked for what they do with it. Objects are loose:
// GitHub adds fields freely, and a field nobody reads must not refuse a delivery.

/** An account as GitHub nests it (sender, comment author, installation account). */
const account = z.looseObject({
  /** The account's login. */
  login: z.string(),
  /** `User`, `Bot` or `Organization`; bots never command. */
  type: z.string().optional(),
});

/** The repository a webhook is about. */
const repository = z.looseObject({
  /** `owner/name`: compared with the deployment's admin repository. */
  full_name: z.string(),
  /** The repository name alone. */
  name: z.string(),
  /** The owner (absent in some push payloads: the handler falls back to `full_name`). */
  owner: account.nullish(),
});

/** The App installation a delivery is for; handlers need its id for tokens and schedules. */
const installation = z.looseObject({ /** Installation id. */ id: z.int() });

/** A repository listed by an installation event. */
const listedRepository = z.looseObject({ /** `owner/name`. */ full_name: z.string() });

/** `issue_comment`: a possible `/license-sync` command. */
export const issueCommentPayload = z.looseObject({
  /** `created`, `edited` or `deleted`; only `created` is subscribed. */
  action: z.string(),
  comment: z.looseObject({
    /** Comment id, for the reaction. */
    id: z.int(),
    /** Markdown text the command is parsed from. */
    body: z.string(),
    /** The author; null for a deleted account. */
    user: account.nullable(),
  }),
  /** The issue the reply goes to. */
  issue: z.looseObject({ /** Issue number. */ number: z.int() }),
  repository: repository.extend({ /** Owner, for API calls. */ owner: account }),
  /** Who caused the event (may differ from the author for bots). */
  sender: account.nullish(),
  /** Absent when the App is not installed where the comment is. */
  installation: installation.optional(),
});

/** `push`: repository config and usage-file uploads on the admin repository. */
export const pushPayload = z.looseObject({
  /** `refs/heads/BRANCH`; only the default branch counts. */
  ref: z.string(),
  /** The pushed head commit, where files are read; all zeros for a deleted branch. */
  after: z.string(),
  /** True when the branch was deleted. */
  deleted: z.boolean().optional(),
  repository: repository.extend({ /** Only pushes to this branch count. */ default_branch: z.string() }),
  /** The pushed commits, oldest first, with their file lists. */
  commits: z.array(
    z.looseObject({
      /** Paths added by the commit. */
      added: z.array(z.string()).optional(),
      /** Paths modified by the commit. */
      modified: z.array(z.string()).optional(),
      /** Paths removed by the commit. */
      removed: z.array(z.string()).optional(),
    }),
  ),
  /** Who pushed; named as the run's requester. */
  sender: account.nullish(),
  /** Absent when the App is not installed on the repository. */
  installation: installation.optional(),
});

/** `installation`: created, deleted, suspended, permissions accepted. */
export const installationPayload = z.looseObject({
  /** What happened to the installation. */
  action: z.string(),
  installation: installation.extend({
    /** The account the App is installed on (null when GitHub cannot say). */
    account: z
      .looseObject({ /** Login (users and organizations; enterprises have none). */ login: z.string().optional() })
      .nullish(),
    /** `all` or `selected` repositories. */
    repository_selection: z.string().optional(),
  }),
  /** Selected repositories, when the event lists them. */
  repositories: z.array(listedRepository).optional(),
});

/** `installation_repositories`: repositories added to or removed from an installation. */
export const installationRepositoriesPayload = z.looseObject({
  /** `added` or `removed`. */
  action: z.string(),
  installation,
  /** Repositories added. */
  repositories_added: z.array(listedRepository).optional(),
  /** Repositories removed. */
  repositories_removed: z.array(listedRepository).optional(),
});

/**
 * A correctly signed delivery whose payload lacks what a handler reads. Carries HTTP status 400:
 * @octokit/webhooks answers a failed delivery with the error's `status`. The message names the
 * event and the field, never a value.
 */
export class MalformedPayloadError extends Error {
  readonly status = 400;
  constructor(event: string, field: string, problem: string) {
    super(`the ${event} payload is malformed at \`${field || "(top level)"}\`: ${problem}`);
    this.name = "MalformedPayloadError";
  }
}

/**
 * Checks a payload against the handler's schema, before the handler runs.
 *
 * @example assertPayload(pushPayload, "push", context.payload)
 */
export function assertPayload(schema: z.ZodType, event: string, payload: unknown): void {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  throw new MalformedPayloadError(event, issuePath("", issue).replace(/^\./, ""), issue.message);
}
