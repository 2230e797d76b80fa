import { createGhecClient } from "../../src/github/ghec-client.js";
import { captureLog } from "./capture-log.js";

/**
 * A GHEC client as the product builds it (throttling, email guard, request log), with a token
 * of the right shape, its log captured and no retry of server errors: a test's nock answers are
 * each used once.
 *
 * @example const octokit = quietGhecClient(); nock("https://api.github.com").get("/meta").reply(200, {});
 */
export function quietGhecClient(): ReturnType<typeof createGhecClient> {
  return createGhecClient({ token: "ghp_Token0123456789", logger: captureLog().logger, serverErrorRetries: 0 });
}
