import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "../../support/nock.js";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { redisDeliveryClaims } from "../../../src/jobs/queue/delivery-claims.js";
import { dropTestRedis, testRedis } from "../../support/redis.js";
import { API, contentsOf, mockToken, startTestApp, strictNock } from "./support/app.js";
import { commentPayload, pushPayload } from "./support/payloads.js";

strictNock();

const { redis, prefix } = testRedis("deliveries");
beforeAll(async () => void (await redis.ping()));
afterAll(() => dropTestRedis(redis, prefix));

const receive = (
  app: { probot: { receive(event: EmitterWebhookEvent): Promise<void> } },
  id: string,
  name: string,
  payload: unknown,
) => app.probot.receive({ id, name, payload } as unknown as EmitterWebhookEvent);

/** A `/license-sync now` payload of its own: claims are remembered across the file's tests, by payload too. */
function command(tag: string) {
  const payload = commentPayload("/license-sync now");
  return { ...payload, comment: { ...payload.comment, node_id: tag } };
}

/** Everything one `/license-sync now` from an admin costs on GitHub's side, once. */
function oneCommand(scope = mockToken(nock(API))): nock.Scope {
  return scope
    .get(contentsOf(".github/license-sync.yml"))
    .reply(404, { message: "Not Found" })
    .get("/repos/acme/license-admin/collaborators/mona/permission")
    .reply(200, { permission: "admin", role_name: "admin", user: { login: "mona" } })
    .post("/repos/acme/license-admin/issues/comments/9001/reactions")
    .reply(201, { id: 1 })
    .post("/repos/acme/license-admin/issues/5/comments")
    .reply(201, { id: 2 });
}

describe("replayed deliveries start nothing new", () => {
  it("handles a delivery id once, however often it arrives within a day", async () => {
    const app = await startTestApp({ deliveries: redisDeliveryClaims(redis, prefix) });
    oneCommand();
    const payload = command("replayed");
    for (let i = 0; i < 3; i++) await receive(app, "replayed-1", "issue_comment", payload);
    expect(app.queue.enqueued).toHaveLength(1);
    expect(
      app.logs.filter((line) => line.message === "delivery already handled within a day; replay ignored"),
    ).toHaveLength(2);
    // Remembered for a day (by id and by payload), then forgotten by Redis itself.
    const keys = await redis.keys(`${prefix}:*:delivery:*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(86_000);
  });

  it("catches the same signed payload replayed under a fresh delivery id (the header is not signed)", async () => {
    const app = await startTestApp({ deliveries: redisDeliveryClaims(redis, prefix) });
    oneCommand();
    const payload = command("forged");
    await receive(app, "original-2", "issue_comment", payload);
    await receive(app, "forged-id-2", "issue_comment", payload);
    expect(app.queue.enqueued).toHaveLength(1);
  });

  it("lets GitHub redeliver a delivery whose handling failed", async () => {
    const app = await startTestApp({ deliveries: redisDeliveryClaims(redis, prefix) });
    // The first attempt cannot read the repository config; the redelivery of the same id runs.
    mockToken(nock(API)).get(contentsOf(".github/license-sync.yml")).reply(500, { message: "boom" });
    const payload = command("failed");
    await expect(receive(app, "failed-3", "issue_comment", payload)).rejects.toBeDefined();
    oneCommand(nock(API));
    await receive(app, "failed-3", "issue_comment", payload);
    expect(app.queue.enqueued).toHaveLength(1);
  });
});

describe("malformed but correctly signed payloads", () => {
  it.each([
    [
      "issue_comment",
      "comment.body",
      () => {
        const p = commentPayload("/license-sync now") as Record<string, unknown>;
        p.comment = { id: 9001, user: { login: "mona", type: "User" } };
        return p;
      },
    ],
    [
      "issue_comment",
      "repository",
      () => {
        const p = commentPayload("/license-sync now") as Record<string, unknown>;
        delete p.repository;
        return p;
      },
    ],
    [
      "push",
      "repository.default_branch",
      () => {
        const p = pushPayload({ added: ["license-usage/uploads/ghes-b.json"] }) as Record<string, unknown>;
        p.repository = { ...(p.repository as object), default_branch: undefined };
        return p;
      },
    ],
    [
      "push",
      "commits",
      () => {
        const p = pushPayload({ added: [] }) as Record<string, unknown>;
        delete p.commits;
        return p;
      },
    ],
  ])("%s without %s is refused with status 400 naming the field, and nothing runs", async (event, field, make) => {
    const app = await startTestApp({ deliveries: redisDeliveryClaims(redis, prefix) });
    const error = (await receive(app, `malformed-${event}-${field}`, event, make()).catch((e: unknown) => e)) as {
      errors?: unknown[];
    };
    const cause = (error.errors?.[0] ?? error) as { status?: number; message?: string; name?: string };
    expect(cause).toMatchObject({ name: "MalformedPayloadError", status: 400 });
    expect(cause.message).toContain(`at \`${field}\``);
    expect(app.queue.enqueued).toEqual([]);
  });
});
