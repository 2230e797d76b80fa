import { createHmac, randomUUID } from "node:crypto";

/** What GitHub would send: the event name and its JSON payload. */
export interface Delivery {
  event: string;
  payload: Record<string, unknown>;
  /** `X-GitHub-Delivery` to send (a redelivery, a replay); a fresh one when absent. */
  deliveryId?: string;
}

/** The App's answer to a delivery. */
export interface DeliveryAnswer {
  status: number;
  body: string;
  deliveryId: string;
}

/**
 * Posts a webhook the way GitHub does: JSON body, `X-Hub-Signature-256` HMAC of the exact
 * bytes with the webhook secret, event name and the delivery's id (a fresh one unless given).
 *
 * @example await sendWebhook(`${web.url}/api/github/webhooks`, secret, { event: "ping", payload: { zen: "hi" } });
 */
export async function sendWebhook(url: string, secret: string, delivery: Delivery): Promise<DeliveryAnswer> {
  const body = JSON.stringify(delivery.payload);
  const deliveryId = delivery.deliveryId ?? randomUUID();
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": delivery.event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": signature,
      "user-agent": "GitHub-Hookshot/demo",
    },
    body,
  });
  return { status: response.status, body: await response.text(), deliveryId };
}

const user = (login: string, id: number, type = "User") => ({ login, id, type, node_id: `U_${id}`, site_admin: false });

/** The repository block of payloads about the admin repository. */
export function repositoryBlock(owner: string, name: string) {
  return {
    id: 7001,
    name,
    full_name: `${owner}/${name}`,
    private: true,
    default_branch: "main",
    owner: user(owner, 9001, "Organization"),
  };
}

/** `installation.created` (or `.deleted`) of the App on organization `owner`, all repositories. */
export function installationDelivery(
  action: "created" | "deleted",
  installationId: number,
  owner: string,
  appId: number,
  sender = "mona",
): Delivery {
  return {
    event: "installation",
    payload: {
      action,
      installation: {
        id: installationId,
        app_id: appId,
        account: user(owner, 9001, "Organization"),
        repository_selection: "all",
        target_type: "Organization",
        permissions: { issues: "write", contents: "write", metadata: "read", members: "read" },
        events: ["issue_comment", "push"],
      },
      sender: user(sender, 501),
    },
  };
}

/** `issue_comment.created` for a comment that exists in the repository (so it can get a reaction). */
export function commentDelivery(input: {
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
  issueTitle: string;
  commentId: number;
  body: string;
  login: string;
}): Delivery {
  const author = user(input.login, 501);
  return {
    event: "issue_comment",
    payload: {
      action: "created",
      issue: { number: input.issueNumber, title: input.issueTitle, state: "open", user: author },
      comment: {
        id: input.commentId,
        body: input.body,
        user: author,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      },
      repository: repositoryBlock(input.owner, input.repo),
      sender: author,
      installation: { id: input.installationId },
    },
  };
}

/** `push` of one commit to the default branch `main` that added or modified `files`. */
export function pushDelivery(input: {
  installationId: number;
  owner: string;
  repo: string;
  sha: string;
  message: string;
  added?: string[];
  modified?: string[];
  pusher?: string;
}): Delivery {
  const pusher = input.pusher ?? "mona";
  return {
    event: "push",
    payload: {
      ref: "refs/heads/main",
      before: "b".repeat(40),
      after: input.sha,
      created: false,
      deleted: false,
      forced: false,
      commits: [
        {
          id: input.sha,
          message: input.message,
          added: input.added ?? [],
          modified: input.modified ?? [],
          removed: [],
        },
      ],
      head_commit: { id: input.sha },
      repository: repositoryBlock(input.owner, input.repo),
      pusher: { name: pusher },
      sender: { login: pusher, id: 1, type: "User" },
      installation: { id: input.installationId },
    },
  };
}
