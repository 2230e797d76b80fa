import { UnrecoverableError } from "bullmq";
import { InputError } from "../../../../src/shared/errors.js";
import { failureKind, isFinalFailure, toQueueError } from "../../../../src/jobs/flow/failure.js";
import { QueueUnavailableError } from "../../../../src/jobs/queue/unavailable.js";
import { failureReply } from "../../../../src/jobs/flow/replies.js";
import { newRunId, runIdOfScheduledJob } from "../../../../src/jobs/queue/run-id.js";

const input = new InputError(
  ".github/license-sync.yml",
  "thresholds.staleSyncDays",
  "expected an integer",
  "Use a whole number of days.",
);
const httpError = (status: number, message = "x") => Object.assign(new Error(message), { status });

test("failures are classified for metrics", () => {
  expect(failureKind(input)).toBe("input");
  expect(failureKind(new QueueUnavailableError("down"))).toBe("redis");
  expect(failureKind(httpError(502))).toBe("github_502");
  expect(failureKind(httpError(403, "API rate limit exceeded"))).toBe("rate_limited");
  expect(failureKind(httpError(429))).toBe("rate_limited");
  expect(failureKind(Object.assign(new Error("fetch failed"), { code: "ECONNRESET" }))).toBe("network");
  expect(failureKind(new Error("Connection is closed."))).toBe("redis");
  expect(failureKind(new Error("Reached the max retries per request limit (which is 20)."))).toBe("redis");
  expect(failureKind(new UnrecoverableError("stored collection gone"))).toBe("data");
  expect(failureKind(new TypeError("x is undefined"))).toBe("internal");
});

test("InputErrors become UnrecoverableErrors with the same message; retries run out on the last attempt", () => {
  const queued = toQueueError(input);
  expect(queued).toBeInstanceOf(UnrecoverableError);
  expect(queued.message).toBe(input.message);
  expect(isFinalFailure({ attemptsMade: 0, opts: { attempts: 3 } }, queued)).toBe(true);
  expect(isFinalFailure({ attemptsMade: 0, opts: { attempts: 3 } }, new Error("502"))).toBe(false);
  expect(isFinalFailure({ attemptsMade: 2, opts: { attempts: 3 } }, new Error("502"))).toBe(true);
});

test("a failed command gets the key and the fix, or the reason and the run id", () => {
  const fix = failureReply("acme-r1", input);
  expect(fix).toContain("`.github/license-sync.yml` at `thresholds.staleSyncDays`: expected an integer.");
  expect(fix).toContain("**What to fix:** Use a whole number of days.");
  const other = failureReply("acme-r1", new Error("GHES ghes-a.corp.example: 502 Bad Gateway\nstack"), 3);
  expect(other).toContain("failed after 3 attempts: `GHES ghes-a.corp.example: 502 Bad Gateway`");
  expect(other).not.toContain("stack");
  expect(other).toContain("run id `acme-r1`");
});

test("run ids sort by time, carry no colon, and scheduled ones derive from the job id", () => {
  const id = newRunId("acme", new Date("2026-11-23T12:00:00.123Z"));
  expect(id).toMatch(/^acme-20261123T120000Z-[a-z0-9]{5}$/);
  expect(runIdOfScheduledJob("acme", "repeat:weekly-acme:1796014800000")).toBe("acme-20261130T050000Z-weekly");
});
