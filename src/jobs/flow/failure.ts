import { UnrecoverableError, type Job } from "bullmq";
import { httpStatusOf } from "../../github/index.js";
import { maskError, publicText, scrubText } from "../../privacy/index.js";
import { isInputError } from "../../shared/index.js";
import { isRedisDown, QueueUnavailableError } from "../queue/unavailable.js";

/**
 * What kind of failure an error is, for metrics and logs: `input` (configuration or permission
 * the operator must fix), `github_<status>` / `rate_limited` / `network` (GitHub or the way
 * there), `redis`, `data` (run data gone or malformed), `internal` (a bug).
 *
 * @example failureKind(new InputError(...)) // "input"
 */
export function failureKind(error: unknown): string {
  if (isInputError(error)) return "input";
  if (error instanceof QueueUnavailableError) return "redis";
  const status = httpStatusOf(error);
  if (status === 429 || (status === 403 && /rate limit/i.test(String((error as Error).message)))) return "rate_limited";
  if (status !== undefined && status >= 400) return `github_${status}`;
  const text = `${(error as { code?: string }).code ?? ""} ${(error as Error).message ?? ""}`;
  if (/ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|timed? ?out/i.test(text))
    return "network";
  if (isRedisDown(error)) return "redis";
  if (error instanceof UnrecoverableError) return "data";
  return "internal";
}

/**
 * The error BullMQ should see: an InputError becomes an `UnrecoverableError` (no retry can fix
 * configuration or permissions) with the same message; anything else passes through with its
 * text made public (`publicText`): BullMQ stores message and stack in Redis, the worker logs
 * the message, replies and `status` show it, and a server's answer quoted there can hold an
 * email, our token, its internal URLs or a whole HTML page. An InputError's message and stack
 * pass the email guard too: every processor failure goes through here before BullMQ writes it.
 */
export function toQueueError(error: unknown): Error {
  if (isInputError(error)) {
    const unrecoverable = new UnrecoverableError(error.message);
    unrecoverable.stack = error.stack;
    return maskError(unrecoverable);
  }
  const queued = error instanceof Error ? error : new Error(String(error));
  const original = queued.message;
  const clean = publicText(original);
  if (clean !== original) {
    queued.message = clean;
    const stack = queued.stack ?? "";
    const at = stack.indexOf("\n    at ");
    queued.stack = `${queued.name}: ${clean}${at >= 0 ? scrubText(stack.slice(at)) : ""}`;
  }
  return queued;
}

/** True when BullMQ will not try the job again after this error. */
export function isFinalFailure(job: Pick<Job, "attemptsMade" | "opts">, error: Error): boolean {
  if (error instanceof UnrecoverableError || error.name === "UnrecoverableError") return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
