import { afterEach, beforeAll, expect, test } from "@jest/globals";
import nock from "../../../support/nock.js";
import { describeFailure } from "../../../../src/cli/describe-failure.js";
import { createGhesClient } from "../../../../src/github/ghes-client.js";
import { toQueueError } from "../../../../src/jobs/flow/failure.js";
import { failureReply } from "../../../../src/jobs/flow/replies.js";
import { captureLog } from "../../../support/capture-log.js";

const GHES = "https://ghes-a.corp.example";
const TOKEN = "ghp_TopSecretToken0123456789";
// What a broken GHES (or the proxy in front of it) may answer: it quotes an email, our token,
// its internal addresses and Markdown that would ping or load an image if posted as is.
const HOSTILE = {
  message:
    `lookup failed for leaky.person@corp.example with token ${TOKEN} (Basic bW9uYTpzZWNyZXQtcGFzc3dvcmQ=) ` +
    "at https://10.0.0.7:8443/internal/api?sig=abc123 @everyone ![t](https://evil.example/p.png)",
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

/** The error a GHES client raises for that answer, as the collector sees it. */
async function hostileFailure(status: number): Promise<Error> {
  nock(GHES).get("/api/v3/user").reply(status, HOSTILE);
  const client = createGhesClient({ url: GHES, token: TOKEN, logger: captureLog().logger, serverErrorRetries: 0 });
  return (await client.request("GET /user").catch((caught: unknown) => caught)) as Error;
}

function expectClean(text: string) {
  expect(text).not.toContain("leaky.person@");
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain("bW9uYTpzZWNyZXQtcGFzc3dvcmQ=");
  expect(text).not.toMatch(/internal\/api|sig=abc123/);
  expect(text).not.toContain("https://evil.example");
}

test.each([500, 422])(
  "a GHES %i whose answer quotes an email, the token and internal URLs: none of it reaches BullMQ, the reply or the CLI",
  async (status) => {
    const error = await hostileFailure(status);
    const queued = toQueueError(error);
    // BullMQ stores message (failedReason) and stack (stacktrace) in Redis; the worker logs the message.
    expectClean(queued.message);
    expectClean(queued.stack ?? "");
    expect(queued.message).toContain("l***@corp.example");
    expect(queued.message).toContain("10.0.0.7:8443");
    const reply = failureReply("acme-r1", error, 3);
    expectClean(reply);
    // Nothing from the server's text can ping or render in the issue.
    // Nothing from the server's text can ping or render in the issue: it stands in one code span.
    expect(reply.split("\n")[0]).toMatch(/failed after 3 attempts: `[^`]*@everyone[^`]*`$/);
    expectClean(describeFailure(error, {}));
    expectClean(describeFailure(error, { LOG_LEVEL: "debug" }));
  },
);

test("an error text that leaves the process is one bounded line", async () => {
  nock(GHES)
    .get("/api/v3/user")
    .reply(502, `<html>${"<p>Bad gateway</p>\n".repeat(50_000)}</html>`, { "content-type": "text/html" });
  const client = createGhesClient({ url: GHES, token: TOKEN, logger: captureLog().logger, serverErrorRetries: 0 });
  const error = (await client.request("GET /user").catch((caught: unknown) => caught)) as Error;
  const queued = toQueueError(error);
  expect(queued.message.length).toBeLessThanOrEqual(300);
  expect(queued.message).not.toContain("\n");
  expect(failureReply("acme-r1", error).length).toBeLessThan(1000);
});
