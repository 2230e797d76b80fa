import { randomUUID } from "node:crypto";
import { commentDelivery } from "../../support/webhooks.js";
import { INSTALLATION_ID, OWNER, REPO, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("hostile-deliveries", { workers: 0 });
});
afterAll(async () => {
  await h?.close();
});

test("one delivery sent three times: answered each time, handled once (one reply, one run)", async () => {
  // An issue and a comment that exist, then the command's delivery, replayed with its id.
  const { issueNumber, commentId } = await h.comment("a note before the command");
  const delivery = {
    ...commentDelivery({
      installationId: INSTALLATION_ID,
      owner: OWNER,
      repo: REPO,
      issueNumber,
      issueTitle: "License sync requests",
      commentId,
      body: "/license-sync now",
      login: "mona",
    }),
    deliveryId: randomUUID(),
  };
  const answers = [await h.deliver(delivery), await h.deliver(delivery), await h.deliver(delivery)];
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
  const replies = h.sim
    .repo(OWNER, REPO)
    .issues.find((i) => i.number === issueNumber)!
    .comments.filter((c) => c.user.endsWith("[bot]"));
  expect(replies).toHaveLength(1);
  expect((await h.inspect.getJobs(["waiting", "delayed", "prioritized"])).map((j) => j.name)).toEqual(["start-run"]);
});

test("a correctly signed payload with fields missing is answered 400 naming the field, not 500", async () => {
  const delivery = commentDelivery({
    installationId: INSTALLATION_ID,
    owner: OWNER,
    repo: REPO,
    issueNumber: 1,
    issueTitle: "t",
    commentId: 1,
    body: "/license-sync now",
    login: "mona",
  });
  const { comment: _comment, ...withoutComment } = delivery.payload;
  const answer = await h.deliver({ event: "issue_comment", payload: withoutComment });
  expect(answer.status).toBe(400);
  expect(answer.body).toContain("MalformedPayloadError: the issue_comment payload is malformed at `comment`");
});
