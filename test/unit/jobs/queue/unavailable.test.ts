import { describe, expect, it } from "@jest/globals";
import { isRedisDown } from "../../../../src/jobs/queue/unavailable.js";

describe("isRedisDown", () => {
  it.each([
    new Error("Connection is closed."),
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new Error(
      'Reached the max retries per request limit (which is 20). Refer to "maxRetriesPerRequest" option for details.',
    ),
    Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" }),
    new Error("write EPIPE"),
    new Error("getaddrinfo ENOTFOUND redis"),
  ])("knows a connection that is down or going down: %s", (error) => {
    expect(isRedisDown(error)).toBe(true);
  });

  it.each([
    new Error("ERR unknown command 'FOO'"),
    new Error("WRONGTYPE Operation against a key"),
    null,
    undefined,
    "x",
  ])("is false for a command's own error or a non-error: %s", (error) => {
    expect(isRedisDown(error)).toBe(false);
  });
});
